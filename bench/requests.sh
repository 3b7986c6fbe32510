# Shared by the benchmarks that create and read bank accounts (throughput.sh, ab.sh, webhooks.sh). Source it after
# lib.sh.
# shellcheck shell=bash

# write_request_scripts dir: the wrk scripts dir/create.lua (POST /api/bank-accounts, the created ids written to
# BENCH_IDS_DIR/ids_<run>_<thread>.txt) and dir/get.lua (GET /api/bank-accounts/{id} over BENCH_IDS_FILE).
write_request_scripts() {
    local dir="$1"
    # Bank account numbers are BB-bbbb-AAAAAAA-SSS with bank 12, branch = run*10 + thread, account and suffix
    # from a per-thread counter: unique across threads and runs (warm-up, measured phase), always well formed.
    wrk_lua_prelude "$dir/create.lua"
    cat >>"$dir/create.lua" <<'LUA'
local ids_dir = os.getenv("BENCH_IDS_DIR")
local run = tonumber(os.getenv("BENCH_RUN"))

function init(args)
   n = 0
   ok = 0
   statuses = {}
   ids = io.open(string.format("%s/ids_%d_%d.txt", ids_dir, run, tid), "w")
   wrk.method = "POST"
end

function request()
   n = n + 1
   local number = string.format("12-%04d-%07d-%03d", run * 10 + tid, n % 10000000, math.floor(n / 10000000))
   local key = api_keys[(n + tid) % #api_keys + 1]
   return wrk.format(nil, "/api/bank-accounts", {["x-api-key"] = key, ["Content-Type"] = "application/json"},
      '{"bankAccountNumber":"' .. number .. '","bankAccountName":"Bench"}')
end

function response(status, headers, body)
   if count_answer(status) then
      local id = string.match(body, '"id"%s*:%s*"([^"]+)"')
      if id then ids:write(id, "\n") end
   end
end
LUA

    wrk_lua_prelude "$dir/get.lua"
    cat >>"$dir/get.lua" <<'LUA'
local ids_file = os.getenv("BENCH_IDS_FILE")

function init(args)
   ok = 0
   statuses = {}
   paths = {}
   keys = {}
   for line in io.lines(ids_file) do
      local id, index = string.match(line, "^(%S+) (%d+)$")
      if id then
         table.insert(paths, "/api/bank-accounts/" .. id)
         table.insert(keys, api_keys[tonumber(index) + 1])
      end
   end
   i = (tid * 7919) % #paths
   wrk.method = "GET"
end

function request()
   i = i % #paths + 1
   return wrk.format(nil, paths[i], {["x-api-key"] = keys[i]})
end

function response(status, headers, body)
   count_answer(status)
end
LUA

    # The same summary as the python generator prints.
    wrk_lua_summary "$dir/create.lua"
    wrk_lua_summary "$dir/get.lua"
}

# owned_ids: the ids the create script wrote (WORK/ids_*.txt) into WORK/ids.txt, each with the index of its
# account's key ("id index"), so that every GET is made by the bank account's owner. Prints how many.
owned_ids() {
    cat "$WORK"/ids_*.txt 2>/dev/null | python3 -c '
import subprocess, sys
owners = dict(line.split("|") for line in subprocess.run(
    ["psql", "-X", "-A", "-t", "-d", sys.argv[1], "-c", "SELECT id, account_id FROM bank_account_view"],
    check=True, capture_output=True, text=True).stdout.split())
accounts = sys.argv[2].split(",")
for line in sys.stdin:
    bank_account = line.strip()
    if bank_account in owners and owners[bank_account] in accounts:
        print(bank_account, accounts.index(owners[bank_account]))
' "$DB" "$(IFS=,; echo "${ACCOUNT_IDS[*]}")" >"$WORK/ids.txt" || true
    grep -c . "$WORK/ids.txt" || true
}
