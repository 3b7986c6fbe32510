#!/usr/bin/env bash
# Throughput benchmark: sustained creates and gets of bank accounts against a fresh PostgreSQL database, side by
# side with pgbench running the very SQL each of those requests sends (bench/sql/create.sql, get.sql) on the same
# database, with CPU per request of the JVM and of PostgreSQL's backends. See bench/README.md.
#
# Usage (from the repository root):  bench/throughput.sh
# Environment: CLIENTS (16), ACCOUNTS the requests are spread over (16), DURATION seconds per phase (20),
#              WARMUP seconds of uncounted load before each service phase, or auto (the default): rounds of 10 s
#              until the JIT compilers' threads take under 5% of the JVM's CPU, at most WARMUP_MAX (240) seconds;
#              PREFILL=1 first fills the store
#              with 1,000,000 events and 200,000 bank accounts (bench/prefill.sh), JFR=1 records each service phase
#              with JDK Flight Recorder and prints its hottest frames, LOADGEN auto|wrk|python (auto),
#              PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), STARTUP_TIMEOUT seconds (120),
#              JAVA_OPTS (the server's JVM options, default bench/lib.sh's), JAVA (its java, default the image's
#              release, bench/lib.sh), BENCH_KEEP=1 keeps the work dir,
#              JAR (the jar to run), SQL_DIR (bench/sql: the pgbench scripts, which must match that jar's SQL),
#              SEALS on|off (on): off disables the trigger that seals each appended event (to measure its cost),
#              PGSS=1 prints each measured phase's statements from pg_stat_statements, per request,
#              PIN=1 runs PostgreSQL on a core of its own and all the rest on the others (bench/lib.sh, root only).
set -euo pipefail

CLIENTS="${CLIENTS:-16}"
ACCOUNTS="${ACCOUNTS:-16}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-auto}"
WARMUP_MAX="${WARMUP_MAX:-240}"
PREFILL="${PREFILL:-0}"
JFR="${JFR:-0}"
LOADGEN="${LOADGEN:-auto}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-120}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
SEALS="${SEALS:-on}"
export PGHOST PGPORT PGUSER

[[ "$WARMUP" == auto || "$WARMUP" =~ ^[0-9]+$ ]] || { echo "error: WARMUP must be auto or seconds, got '$WARMUP'" >&2; exit 2; }
for v in CLIENTS ACCOUNTS DURATION WARMUP_MAX STARTUP_TIMEOUT; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "error: $v must be a whole number, got '${!v}'" >&2; exit 2; }
done
(( CLIENTS >= 1 && DURATION >= 1 )) || { echo "error: CLIENTS and DURATION must be at least 1" >&2; exit 2; }
case "$LOADGEN" in auto|wrk|python) ;; *) echo "error: LOADGEN must be auto, wrk or python" >&2; exit 2 ;; esac
case "$SEALS" in on|off) ;; *) echo "error: SEALS must be on or off" >&2; exit 2 ;; esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="${JAR:-$ROOT/app/target/app-0.1.0-SNAPSHOT.jar}"
HOST=127.0.0.1
THREADS=$(( CLIENTS < 2 ? CLIENTS : 2 ))   # wrk threads and pgbench -j
SQL_DIR="${SQL_DIR:-$ROOT/bench/sql}"

SERVER_ENV=(APP_BANK_ACCOUNTS_MAX_PER_ACCOUNT=100000000)
BENCH_NAME=throughput
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
PREFILL_SUMMARY=""
if (( PREFILL )); then
    # shellcheck source=bench/prefill.sh
    source "$ROOT/bench/prefill.sh"
fi

if [[ "$SEALS" == off ]]; then
    # Events appended from now on are not sealed (and would fail GET /api/admin/audit/verify): for measuring only.
    psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "ALTER TABLE domain_event_entry DISABLE TRIGGER seal_domain_event" \
        >/dev/null || die "could not disable the seal trigger"
    log "event seals off (trigger disabled)"
fi

# ACCOUNTS accounts, each with an account-owner key; creates go round-robin over them. One account measures the
# per-account ceiling (creates in one account take turns on its row lock, by design); several, the service's.
create_accounts "$ACCOUNTS"
API_KEY="${API_KEYS[0]}"
log "$ACCOUNTS account(s), each with an account-owner key"
echo "accounts: $ACCOUNTS"

# ---------------------------------------------------------------- load generator
# shellcheck source=bench/requests.sh
source "$ROOT/bench/requests.sh"
write_request_scripts "$WORK"

cat >"$WORK/loadgen.py" <<'PY'
"""Fallback load generator: one thread per client, each with its own persistent HTTP/1.1 connection."""
import http.client, itertools, json, os, sys, threading, time

mode, clients, duration, port = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
run = int(os.environ.get("BENCH_RUN", "1"))
counter = itertools.count(1)
paths = []
if mode == "get":
    with open(os.environ["BENCH_IDS_FILE"]) as f:
        rows = [line.split() for line in f if line.strip()]
        paths = [("/api/bank-accounts/" + row[0], int(row[1])) for row in rows]
path_counter = itertools.count()
results = []
lock = threading.Lock()
start_barrier = threading.Barrier(clients + 1)


api_keys = os.environ["BENCH_API_KEYS"].split(",")
client_numbers = itertools.count()


def client():
    lat, ids, statuses, errors, ok = [], [], {}, 0, 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    # A create's key is the client's; a GET's is the bank account's owner's, set for each request.
    headers = {"x-api-key": api_keys[next(client_numbers) % len(api_keys)], "Content-Type": "application/json"}
    start_barrier.wait()
    deadline = start + duration
    while time.monotonic() < deadline:
        if mode == "create":
            n = next(counter)
            number = "12-%04d-%07d-%03d" % (run * 10 + 1, n % 10000000, n // 10000000)
            body = json.dumps({"bankAccountNumber": number, "bankAccountName": "Bench"})
            method, path = "POST", "/api/bank-accounts"
        else:
            body, method = None, "GET"
            path, key_index = paths[next(path_counter) % len(paths)]
            headers["x-api-key"] = api_keys[key_index]
        t0 = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        lat.append(time.monotonic() - t0)
        if resp.status == 200:
            ok += 1
            if mode == "create":
                ids.append(json.loads(data)["id"])
        else:
            statuses[resp.status] = statuses.get(resp.status, 0) + 1
    conn.close()
    with lock:
        results.append((lat, ids, statuses, errors, ok))


threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
for t in threads:
    t.start()
start = time.monotonic()
start_barrier.wait()
for t in threads:
    t.join()
elapsed = time.monotonic() - start

lat = sorted(x for r in results for x in r[0])
statuses = {}
for r in results:
    for k, v in r[2].items():
        statuses[k] = statuses.get(k, 0) + v
if mode == "create":
    with open(os.path.join(os.environ["BENCH_IDS_DIR"], "ids_%d_py.txt" % run), "w") as f:
        for r in results:
            f.writelines(i + "\n" for i in r[1])


def pct(p):
    return lat[min(len(lat) - 1, int(len(lat) * p / 100.0))] * 1000 if lat else 0.0


errors = sum(r[3] for r in results)
print("requests: %d" % (len(lat) + errors))
print("ok: %d" % sum(r[4] for r in results))
print("non200: %d" % sum(statuses.values()))
print("non200_by_status: %s" % (",".join("%s=%s" % kv for kv in sorted(statuses.items())) or "none"))
print("socket_errors: %d" % errors)
print("socket_errors_detail: exceptions=%d" % errors)
print("elapsed_s: %.3f" % elapsed)
print("p50_ms: %.2f" % pct(50))
print("p99_ms: %.2f" % pct(99))
print("max_ms: %.2f" % (lat[-1] * 1000 if lat else 0.0))
PY

ensure_wrk() {
    command -v wrk >/dev/null && return 0
    command -v apt-get >/dev/null || return 1
    local sudo=""
    if (( EUID != 0 )); then command -v sudo >/dev/null && sudo="sudo -n" || return 1; fi
    log "wrk missing, trying: apt-get install -y wrk"
    DEBIAN_FRONTEND=noninteractive timeout 180 $sudo apt-get install -y -qq wrk >"$WORK/apt.log" 2>&1 \
        || { DEBIAN_FRONTEND=noninteractive timeout 180 $sudo apt-get update -qq >>"$WORK/apt.log" 2>&1 \
             && DEBIAN_FRONTEND=noninteractive timeout 180 $sudo apt-get install -y -qq wrk >>"$WORK/apt.log" 2>&1; } \
        || true
    command -v wrk >/dev/null
}

case "$LOADGEN" in
    wrk) ensure_wrk || die "wrk requested but not installable" ;;
    auto) if ensure_wrk; then LOADGEN=wrk; else log "wrk unavailable, falling back to python3 threads"; LOADGEN=python; fi ;;
esac
log "load generator: $LOADGEN"
LOAD_AT_START="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"

export BENCH_API_KEYS="$(IFS=,; echo "${API_KEYS[*]}")" BENCH_IDS_DIR="$WORK" BENCH_IDS_FILE="$WORK/ids.txt"

# run_load create|get seconds run_number outfile
run_load() {
    local mode=$1 secs=$2 run=$3 out=$4
    if [[ "$LOADGEN" == wrk ]]; then
        wrk_load "$run" "$secs" "$WORK/$mode.lua" "$out"
    else
        BENCH_RUN="$run" run_child python3 "$WORK/loadgen.py" "$mode" "$CLIENTS" "$secs" "$PORT" >"$out.raw" 2>&1 \
            || { cat "$out.raw" >&2; die "python load generator failed"; }
        grep -E '^[a-z0-9_]+: ' "$out.raw" >"$out"
    fi
}

# ---------------------------------------------------------------- measurement helpers

# jit_ticks: CPU ticks of the JVM's JIT compiler threads, and of all its threads
jit_ticks() {
    python3 - "$SERVER_PID" <<'PY'
import os, sys
jit = total = 0
for tid in os.listdir("/proc/%s/task" % sys.argv[1]):
    try:
        raw = open("/proc/%s/task/%s/stat" % (sys.argv[1], tid)).read()
    except OSError:
        continue
    fields = raw.rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    total += ticks
    jit += ticks if "CompilerThre" in raw[raw.index("("):raw.rindex(")")] else 0
print(jit, total)
PY
}

# measure_service create|get first_run: warm-up, then the measured phase under the CPU sampler (and JFR when asked).
# Run numbers keep created bank account numbers unique: each warm-up round and the measured phase has its own.
declare -A WARMED
measure_service() {
    local mode=$1 run=$2
    if [[ "$WARMUP" == auto ]]; then
        # On 2 busy cores the compilers get a small share, so a JVM takes minutes to reach its compiled speed.
        local spent=0 share=100 before after
        while (( spent < WARMUP_MAX )); do
            before=($(jit_ticks))
            run_load "$mode" 10 "$run" "$WORK/warmup-$mode.out"
            after=($(jit_ticks))
            run=$(( run + 1 )) spent=$(( spent + 10 ))
            share=$(( (after[0] - before[0]) * 100 / (after[1] - before[1] > 0 ? after[1] - before[1] : 1) ))
            log "warm-up: ${spent}s of $mode (not counted), JIT compilers ${share}% of the JVM's CPU"
            (( share < 5 )) && break
        done
        WARMED[$mode]="$spent (JIT compilers ${share}% of the JVM's CPU in the last 10 s)"
    elif (( WARMUP > 0 )); then
        log "warm-up: ${WARMUP}s of $mode (not counted)"
        run_load "$mode" "$WARMUP" "$run" "$WORK/warmup-$mode.out"
        run=$(( run + 1 ))
        WARMED[$mode]="$WARMUP"
    fi
    log "service $mode: $CLIENTS clients x ${DURATION}s"
    jfr_start "$mode"
    pgss_start
    cpu_start "service-$mode"
    run_load "$mode" "$DURATION" "$run" "$WORK/$mode.out"
    cpu_stop
    pgss_stop "service-$mode" "$(field "$WORK/$mode.out" ok)"
    jfr_stop "$mode"
}

# String values the scripts send as parameters, as the service does (times in the forms pgjdbc sends them).
PGBENCH_VALUES=(-D "event_time=2026-12-02T02:27:38.427Z" -D "view_time=2026-12-02 02:27:38.427+00"
                -D "crn=crn:KCJzSdft2TNcEegW1ibHke:api-key:bench")
# measure_pgbench create|get: the request's SQL (bench/sql/<mode>.sql), same clients, same database
measure_pgbench() {
    local mode=$1
    log "pgbench $mode: -M prepared -c $CLIENTS -j $THREADS -T $DURATION -f $SQL_DIR/$mode.sql"
    # A short uncounted run first prepares the statements and warms the caches, as the service's warm-up does.
    "$PGBENCH" -n -M prepared -c "$CLIENTS" -j "$THREADS" -T 2 -D accounts="$ACCOUNTS" -D rows="$GET_ROWS" "${PGBENCH_VALUES[@]}" \
        -f "$SQL_DIR/$mode.sql" "$DB" >"$WORK/pgbench-warmup-$mode.out" 2>&1 \
        || { cat "$WORK/pgbench-warmup-$mode.out" >&2; die "pgbench $mode failed"; }
    pgss_start
    cpu_start "pgbench-$mode"
    run_child "$PGBENCH" -n -M prepared -c "$CLIENTS" -j "$THREADS" -T "$DURATION" -D accounts="$ACCOUNTS" \
        -D rows="$GET_ROWS" "${PGBENCH_VALUES[@]}" -l --log-prefix="$WORK/pgbench-log-$mode" -f "$SQL_DIR/$mode.sql" "$DB" \
        >"$WORK/pgbench-$mode.out" 2>&1 || { cat "$WORK/pgbench-$mode.out" >&2; die "pgbench $mode failed"; }
    cpu_stop
    pgss_stop "pgbench-$mode" "$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$WORK/pgbench-$mode.out")"
    # Per-transaction latencies (third column, microseconds) of every client's log.
    cat "$WORK"/pgbench-log-"$mode".* | python3 -c '
import sys
lat = sorted(int(line.split()[2]) for line in sys.stdin if line.strip())
pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p / 100.0))] / 1000.0 if lat else 0.0
print("p50_ms: %.2f" % pct(50))
print("p99_ms: %.2f" % pct(99))' >"$WORK/pgbench-$mode.lat"
    rm -f "$WORK"/pgbench-log-"$mode".*
}

# ---------------------------------------------------------------- the service: creates, then gets
measure_service create 1
CREATED_IDS="$(owned_ids)"
(( CREATED_IDS > 0 )) || die "no bank account was created; nothing to read"
measure_service get 900

# ---------------------------------------------------------------- pgbench: the same SQL, same database
psql -X -q -v ON_ERROR_STOP=1 -v accounts="$ACCOUNTS" -d "$DB" -f "$SQL_DIR/fixture.sql" >"$WORK/fixture.out" \
    || die "pgbench fixture failed"
GET_ROWS="$(awk '$1 == "get_rows:" { print $2 }' "$WORK/fixture.out")"
psql -X -q -d "$DB" -c "ANALYZE" >/dev/null
measure_pgbench create
measure_pgbench get

# ---------------------------------------------------------------- report
pgfield() { sed -nE "s/^$2 = ([0-9.]+).*/\\1/p" "$1" | head -n 1; }
div() { python3 -c 'import sys; b = float(sys.argv[2]); print(sys.argv[3] % (float(sys.argv[1]) / b) if b else "n/a")' "$1" "$2" "$3"; }
ms_per() { python3 -c 'import sys; n = float(sys.argv[2]); print("%.3f" % (1000 * float(sys.argv[1]) / n) if n else "n/a")' "$1" "$2"; }

echo
echo "# bank-accounts throughput benchmark: the service vs pgbench running the same SQL"
PG_VERSION="$(psql -X -tA -d postgres -c 'SHOW server_version' | cut -d' ' -f1)"
LAYOUT="$(nproc) cores shared by server (JVM), PostgreSQL $PG_VERSION and the load generators on one machine"
[[ -z "$PIN_PG_CORE" ]] || LAYOUT="$(nproc --all) cores: PostgreSQL $PG_VERSION on core $PIN_PG_CORE, server (JVM), \
load generators and pgbench on the others"
echo "# $LAYOUT; ratios, not capacity."
echo "# rates count 200 answers (service) or transactions (pgbench); latency percentiles cover every answered request."
echo "# cpu_ms_per_request: user+system CPU over the measured phase from /proc/<pid>/stat, per 200 answer or"
echo "# pgbench transaction (jvm_system: the kernel's part of the JVM's); pg = every PostgreSQL backend connected to the"
echo "# benchmark's database."
echo "load_generator: $LOADGEN"
echo "host_load_avg_1m_at_start: $LOAD_AT_START"
echo "host_load_avg_1m_at_end: $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
echo "java: $JAVA ($(java_version "$JAVA"))"
echo "java_opts: $JAVA_OPTS"
if [[ -n "$PIN_PG_CORE" ]]; then
    echo "cores: pinned (PostgreSQL on core $PIN_PG_CORE)"
else
    echo "cores: shared"
fi
echo "clients: $CLIENTS"
echo "accounts: $ACCOUNTS"
echo "event_seals: $SEALS"
echo "duration_s: $DURATION"
echo "warmup_s: create ${WARMED[create]:-0}, get ${WARMED[get]:-0}"
echo "prefilled: $( (( PREFILL )) && echo "yes, $PREFILL_SUMMARY" || echo no)"
echo "events_in_store_at_end: $(psql -X -tA -d "$DB" -c 'SELECT COUNT(*) FROM domain_event_entry')"
if [[ -f "$WORK/explain.txt" ]]; then
    echo
    sed 's/^/#   /; s/^#   # /# /' "$WORK/explain.txt"
fi
for mode in create get; do
    out="$WORK/$mode.out"
    ok=$(field "$out" ok); el=$(field "$out" elapsed_s)
    svc_rate=$(div "$ok" "$el" '%.1f')
    pg_tps=$(pgfield "$WORK/pgbench-$mode.out" tps)
    [[ -n "$pg_tps" ]] || { cat "$WORK/pgbench-$mode.out" >&2; die "could not read tps from pgbench"; }
    pg_tx=$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$WORK/pgbench-$mode.out")
    pg_failed=$(sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' "$WORK/pgbench-$mode.out")
    echo
    if [[ $mode == create ]]; then echo "# POST /api/bank-accounts"; else echo "# GET /api/bank-accounts/{id} over $CREATED_IDS ids"; fi
    echo "${mode}_service_per_second: $svc_rate"
    echo "${mode}_service_ok: $ok"
    echo "${mode}_service_non200: $(field "$out" non200) ($(field "$out" non200_by_status))"
    echo "${mode}_service_socket_errors: $(field "$out" socket_errors)"
    echo "${mode}_service_p50_ms: $(field "$out" p50_ms)"
    echo "${mode}_service_p99_ms: $(field "$out" p99_ms)"
    echo "${mode}_service_jvm_cpu_ms_per_request: $(ms_per "$(field "$WORK/service-$mode.cpu" jvm_cpu_s)" "$ok")"
    echo "${mode}_service_jvm_system_cpu_ms_per_request: $(ms_per "$(field "$WORK/service-$mode.cpu" jvm_system_cpu_s)" "$ok")"
    echo "${mode}_service_pg_cpu_ms_per_request: $(ms_per "$(field "$WORK/service-$mode.cpu" pg_cpu_s)" "$ok")"
    echo "${mode}_service_jvm_max_rss_mb: $(field "$WORK/service-$mode.cpu" jvm_max_rss_mb)"
    echo "${mode}_service_jvm_cpu_by_thread: $(sed -n "s/^jvm_threads: //p" "$WORK/service-$mode.cpu")"
    echo "${mode}_pgbench_per_second: $(printf '%.1f' "$pg_tps")"
    echo "${mode}_pgbench_transactions: ${pg_tx:-?} (failed: ${pg_failed:-0})"
    echo "${mode}_pgbench_p50_ms: $(field "$WORK/pgbench-$mode.lat" p50_ms)"
    echo "${mode}_pgbench_p99_ms: $(field "$WORK/pgbench-$mode.lat" p99_ms)"
    echo "${mode}_pgbench_pg_cpu_ms_per_transaction: $(ms_per "$(field "$WORK/pgbench-$mode.cpu" pg_cpu_s)" "${pg_tx:-0}")"
    echo "${mode}_ratio_service_to_pgbench: $(div "$svc_rate" "$pg_tps" '%.3f')"
    for who in service pgbench; do
        [[ -f "$WORK/$who-$mode.pgss.txt" ]] || continue
        echo "# pg_stat_statements, $who $mode phase, per request (execution time only)"
        sed 's/^/#   /' "$WORK/$who-$mode.pgss.txt"
    done
    if [[ -f "$WORK/$mode.jfr.txt" ]]; then
        echo "# JFR, service $mode phase (recording kept with BENCH_KEEP=1: $WORK/$mode.jfr)"
        sed 's/^/#   /' "$WORK/$mode.jfr.txt"
    fi
done
