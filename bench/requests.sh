# Shared by the benchmarks that create and read bank accounts (throughput.sh, ab.sh). Source it after lib.sh.
# shellcheck shell=bash

# write_request_scripts dir: the wrk scripts dir/create.lua (POST /api/bank-accounts, the created ids written to
# BENCH_IDS_DIR/ids_<run>_<thread>.txt) and dir/get.lua (GET /api/bank-accounts/{id} over BENCH_IDS_FILE).
write_request_scripts() {
    local dir="$1"
    # Bank account numbers are BB-bbbb-AAAAAAA-SSS with bank 12, branch = run*1000 + thread, account and suffix
    # from a per-thread counter: unique across threads and runs (warm-up, measured phase), always well formed.
    wrk_lua_prelude "$dir/create.lua"
    cat >>"$dir/create.lua" <<'LUA'
local api_key = os.getenv("BENCH_API_KEY")
local ids_dir = os.getenv("BENCH_IDS_DIR")
local run = tonumber(os.getenv("BENCH_RUN"))

function init(args)
   n = 0
   ok = 0
   statuses = {}
   ids = io.open(string.format("%s/ids_%d_%d.txt", ids_dir, run, tid), "w")
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["x-api-key"] = api_key
end

function request()
   n = n + 1
   local number = string.format("12-%04d-%07d-%03d", run * 10 + tid, n % 10000000, math.floor(n / 10000000))
   local key = api_keys[(n + tid) % #api_keys + 1]
   return wrk.format(nil, "/api/bank-accounts", {["x-api-key"] = key, ["Content-Type"] = "application/json"},
      '{"bankAccountNumber":"' .. number .. '","bankAccountName":"Bench"}')
end

function response(status, headers, body)
   if status == 200 then
      ok = ok + 1
      local id = string.match(body, '"id"%s*:%s*"([^"]+)"')
      if id then ids:write(id, "\n") end
   else
      statuses[status] = (statuses[status] or 0) + 1
   end
end
LUA

    wrk_lua_prelude "$dir/get.lua"
    cat >>"$dir/get.lua" <<'LUA'
local api_key = os.getenv("BENCH_API_KEY")
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
   wrk.headers["x-api-key"] = api_key
end

function request()
   i = i % #paths + 1
   return wrk.format(nil, paths[i], {["x-api-key"] = keys[i]})
end

function response(status, headers, body)
   if status == 200 then
      ok = ok + 1
   else
      statuses[status] = (statuses[status] or 0) + 1
   end
end
LUA

    # Shared by both get/create scripts: a summary in the format the python generator prints too.
    for f in create get; do
        cat >>"$dir/$f.lua" <<'LUA'

function done(summary, latency, requests)
   local ok_total, other = 0, {}
   for _, t in ipairs(threads) do
      ok_total = ok_total + t:get("ok")
      for status, count in pairs(t:get("statuses")) do
         other[status] = (other[status] or 0) + count
      end
   end
   local non200, parts = 0, {}
   for status, count in pairs(other) do
      non200 = non200 + count
      table.insert(parts, status .. "=" .. count)
   end
   local e = summary.errors
   io.write(string.format("requests: %d\n", summary.requests))
   io.write(string.format("ok: %d\n", ok_total))
   io.write(string.format("non200: %d\n", non200))
   io.write(string.format("non200_by_status: %s\n", #parts > 0 and table.concat(parts, ",") or "none"))
   io.write(string.format("socket_errors: %d\n", e.connect + e.read + e.write + e.timeout))
   io.write(string.format("socket_errors_detail: connect=%d,read=%d,write=%d,timeout=%d\n",
      e.connect, e.read, e.write, e.timeout))
   io.write(string.format("elapsed_s: %.3f\n", summary.duration / 1e6))
   io.write(string.format("p50_ms: %.2f\n", latency:percentile(50) / 1000))
   io.write(string.format("p99_ms: %.2f\n", latency:percentile(99) / 1000))
   io.write(string.format("max_ms: %.2f\n", latency.max / 1000))
end
LUA
    done
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
