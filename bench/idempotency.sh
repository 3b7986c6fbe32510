#!/usr/bin/env bash
# What an Idempotency-Key costs a create: POST /api/bank-accounts without a key, with a new key on every request,
# and the same key again (replays), side by side on one server and database. See bench/README.md.
#
# Usage (from the repository root):  bench/idempotency.sh
# Environment: CLIENTS (8), ACCOUNTS the creates are spread over (8), DURATION seconds per phase (20),
#              WARMUP seconds of uncounted load before each phase (5), ROUNDS of the without/with pair (2),
#              PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), STARTUP_TIMEOUT seconds (120),
#              JAVA_OPTS (the server's JVM options, bench/lib.sh), BENCH_KEEP=1 keeps the work dir. Needs wrk.
set -euo pipefail

CLIENTS="${CLIENTS:-8}"
ACCOUNTS="${ACCOUNTS:-8}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-5}"
ROUNDS="${ROUNDS:-2}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-120}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER

for v in CLIENTS ACCOUNTS DURATION WARMUP ROUNDS STARTUP_TIMEOUT; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "error: $v must be a whole number, got '${!v}'" >&2; exit 2; }
done
(( CLIENTS >= 1 && ACCOUNTS >= 1 && DURATION >= 1 && ROUNDS >= 1 )) \
    || { echo "error: CLIENTS, ACCOUNTS, DURATION and ROUNDS must be at least 1" >&2; exit 2; }
command -v wrk >/dev/null || { echo "error: wrk is required (apt-get install wrk)" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/app/target/app-0.1.0-SNAPSHOT.jar"
HOST=127.0.0.1
THREADS=$(( CLIENTS < 2 ? CLIENTS : 2 ))

# No per-account limits and no rate limit: the benchmark measures the request path, not the throttles.
SERVER_ENV=(APP_BANK_ACCOUNTS_MAX_PER_ACCOUNT=100000000 APP_RATE_LIMIT_REQUESTS_PER_MINUTE=0)
BENCH_NAME=idempotency
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

create_accounts "$ACCOUNTS"
log "$ACCOUNTS account(s), each with an account-owner key"

# Modes: none (no key), key (a new key on every request), replay (each connection repeats one request with one key:
# the first creates, every later one is answered from the stored answer). Numbers are unique per run, thread and
# request, as in throughput.sh.
wrk_lua_prelude "$WORK/create.lua"
cat >>"$WORK/create.lua" <<'LUA'
local run = tonumber(os.getenv("BENCH_RUN"))
local mode = os.getenv("BENCH_MODE")

function init(args)
   n = 0
   ok = 0
   replayed = 0
   statuses = {}
end

function request()
   n = n + 1
   local i = (mode == "replay") and 0 or n
   local number = string.format("12-%04d-%07d-%03d", run * 10 + tid, i % 10000000, math.floor(i / 10000000))
   local headers = {["x-api-key"] = api_keys[tid % #api_keys + 1], ["Content-Type"] = "application/json"}
   if mode == "key" then
      headers["Idempotency-Key"] = string.format("bench-%d-%d-%d", run, tid, n)
   elseif mode == "replay" then
      headers["Idempotency-Key"] = string.format("bench-replay-%d-%d", run, tid)
   end
   return wrk.format("POST", "/api/bank-accounts", headers,
      '{"bankAccountNumber":"' .. number .. '","bankAccountName":"Bench"}')
end

function response(status, headers, body)
   if count_answer(status) and headers["Idempotent-Replayed"] == "true" then replayed = replayed + 1 end
end
LUA
wrk_lua_summary "$WORK/create.lua" replayed

export BENCH_API_KEYS="$(IFS=,; echo "${API_KEYS[*]}")"
RUN=0
# run_load mode seconds outfile
run_load() {
    RUN=$(( RUN + 1 ))
    (( RUN < 99 )) || die "too many runs for the numbering scheme"
    BENCH_MODE="$1" wrk_load "$RUN" "$2" "$WORK/create.lua" "$3"
}

LOAD_AT_START="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
declare -A OK=() ELAPSED=() P50=() P99=() NON200=()
phase() { # mode
    local mode=$1
    if (( WARMUP > 0 )); then
        log "warm-up: ${WARMUP}s of creates ($mode, not counted)"
        run_load "$mode" "$WARMUP" "$WORK/warmup-$mode.out"
    fi
    log "measured: $CLIENTS clients x ${DURATION}s of creates ($mode)"
    run_load "$mode" "$DURATION" "$WORK/$mode.out"
    OK[$mode]=$(( ${OK[$mode]:-0} + $(field "$WORK/$mode.out" ok) ))
    ELAPSED[$mode]=$(python3 -c 'import sys; print(float(sys.argv[1]) + float(sys.argv[2]))' \
        "${ELAPSED[$mode]:-0}" "$(field "$WORK/$mode.out" elapsed_s)")
    P50[$mode]="${P50[$mode]:-}${P50[$mode]:+,}$(field "$WORK/$mode.out" p50_ms)"
    P99[$mode]="${P99[$mode]:-}${P99[$mode]:+,}$(field "$WORK/$mode.out" p99_ms)"
    NON200[$mode]="${NON200[$mode]:-}${NON200[$mode]:+,}$(field "$WORK/$mode.out" non200_by_status)"
}
# Alternated, so that neither side profits alone from a warmer JIT or a fuller table.
for _ in $(seq 1 "$ROUNDS"); do
    phase none
    phase key
done
phase replay
REPLAYED=$(field "$WORK/replay.out" replayed)

NONE_PS=$(rate "${OK[none]}" "${ELAPSED[none]}")
KEY_PS=$(rate "${OK[key]}" "${ELAPSED[key]}")
REPLAY_PS=$(rate "${OK[replay]}" "${ELAPSED[replay]}")

echo
echo "# what an Idempotency-Key costs POST /api/bank-accounts"
echo "# $(nproc) cores shared by server (JVM), PostgreSQL and wrk on one machine; figures are relative, not capacity."
echo "# per second counts 200 answers over $ROUNDS alternated round(s) of ${DURATION}s per side; p50/p99 per round."
echo "host_load_avg_1m_at_start: $LOAD_AT_START"
echo "clients: $CLIENTS"
echo "accounts: $ACCOUNTS"
echo
for mode in none key replay; do
    echo "creates_${mode}_per_second: $(rate "${OK[$mode]}" "${ELAPSED[$mode]}")"
    echo "creates_${mode}_p50_ms: ${P50[$mode]}"
    echo "creates_${mode}_p99_ms: ${P99[$mode]}"
    echo "creates_${mode}_non200_by_status: ${NON200[$mode]}"
done
echo "replay_phase_replayed_answers: $REPLAYED"
echo
echo "# ratios"
echo "with_key_to_without_key: $(python3 -c 'import sys; print("%.3f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$KEY_PS" "$NONE_PS")"
echo "replay_to_without_key: $(python3 -c 'import sys; print("%.3f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$REPLAY_PS" "$NONE_PS")"
