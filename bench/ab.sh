#!/usr/bin/env bash
# A/B benchmark: two jars served side by side on one database, loaded in turns, so that a small change shows
# through this machine's drift. Runs back to back, one jar after the other, differ by more than most changes do (the
# second of a pair ran 10-20% slower whichever jar it was; bench/ROUNDS.md, tenth round). Here both servers are up
# at once and the load alternates between them in short slices (A B B A A B ...), so both see the same machine; each
# slice's JVM CPU is that of the server it loaded (bench/cpu_sampler.py). B comes out about 5% ahead of A even for
# one jar, so a small change needs a second run with the jars swapped. See bench/README.md.
#
# Usage (from the repository root):  JAR_A=base.jar JAR_B=changed.jar bench/ab.sh
# Environment: MODE get|create (get): the request measured, CLIENTS (16), ACCOUNTS (16), SLICE seconds (10),
#              SLICES per jar (8), WARMUP seconds of uncounted load per server and request (120), JAVA_OPTS
#              (bench/lib.sh's), PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), STARTUP_TIMEOUT seconds (120),
#              BENCH_KEEP=1 keeps the work dir, ENV_A / ENV_B: VAR=value pairs (space-separated) for one server
#              only, so that one jar can be compared with itself under two settings, JAVA_A / JAVA_B: one
#              server's java (default JAVA, else the image's release: bench/lib.sh), to compare two JDKs.
# Both servers are whole nodes of one deployment (the tracking processors split between them), so with MODE=create
# some of one server's events are handled in the other's JVM: compare creates with that in mind.
set -euo pipefail

MODE="${MODE:-get}"
CLIENTS="${CLIENTS:-16}"
ACCOUNTS="${ACCOUNTS:-16}"
SLICE="${SLICE:-10}"
SLICES="${SLICES:-8}"
WARMUP="${WARMUP:-120}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-120}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER

case "$MODE" in get|create) ;; *) echo "error: MODE must be get or create" >&2; exit 2 ;; esac
for v in CLIENTS ACCOUNTS SLICE SLICES WARMUP STARTUP_TIMEOUT; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "error: $v must be a whole number, got '${!v}'" >&2; exit 2; }
done
(( CLIENTS >= 1 && SLICE >= 1 && SLICES >= 2 )) || { echo "error: CLIENTS, SLICE at least 1, SLICES at least 2" >&2; exit 2; }
[[ -f "${JAR_A:-}" && -f "${JAR_B:-}" ]] || { echo "error: JAR_A and JAR_B must be jars" >&2; exit 2; }
# Absolute: the servers start in the work dir.
JAR_A="$(readlink -f "$JAR_A")" JAR_B="$(readlink -f "$JAR_B")"
command -v wrk >/dev/null || { echo "error: wrk is required" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOST=127.0.0.1
THREADS=$(( CLIENTS < 2 ? CLIENTS : 2 ))
COMMON_ENV=(APP_BANK_ACCOUNTS_MAX_PER_ACCOUNT=100000000)
read -r -a ENV_A_PAIRS <<<"${ENV_A:-}"
read -r -a ENV_B_PAIRS <<<"${ENV_B:-}"
for pair in "${ENV_A_PAIRS[@]}" "${ENV_B_PAIRS[@]}"; do
    [[ "$pair" =~ ^[A-Z_][A-Z0-9_]*= ]] || { echo "error: ENV_A and ENV_B take VAR=value pairs, got '$pair'" >&2; exit 2; }
done
SERVER_ENV=("${COMMON_ENV[@]}" "${ENV_A_PAIRS[@]}")
BENCH_NAME=ab
JAR="$JAR_A"
JAVA_B="${JAVA_B:-${JAVA:-}}"
JAVA="${JAVA_A:-${JAVA:-}}"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"   # starts A
declare -A PID_OF=([A]="$SERVER_PID") BASE_OF=([A]="$BASE")
# lib.sh's cleanup stops SERVER_PID (B, once started): stop A first.
stop_a() { local other="$SERVER_PID"; SERVER_PID="${PID_OF[A]}"; stop_server; SERVER_PID="$other"; }
trap 'rc=$?; stop_a; (exit $rc); cleanup' EXIT
PORT="$(free_port)"
BASE="http://$HOST:$PORT"
SERVER_ENV=("${COMMON_ENV[@]}" "${ENV_B_PAIRS[@]}")
JAVA_OF_A="$JAVA"
if [[ -n "$JAVA_B" ]]; then JAVA="$(resolve_java "$JAVA_B")" || exit 1; else JAVA="$(image_java)" || exit 1; fi
start_server -jar "$JAR_B"
PID_OF[B]="$SERVER_PID" BASE_OF[B]="$BASE"

BASE="${BASE_OF[A]}"
create_accounts "$ACCOUNTS"
export BENCH_API_KEYS="$(IFS=,; echo "${API_KEYS[*]}")" BENCH_IDS_DIR="$WORK" \
    BENCH_IDS_FILE="$WORK/ids.txt"
# shellcheck source=bench/requests.sh
source "$ROOT/bench/requests.sh"
write_request_scripts "$WORK"

RUN=1
# load server seconds outfile: one wrk run of MODE's script against server A or B.
load() {
    BASE="${BASE_OF[$1]}"
    wrk_load "$RUN" "$2" "$WORK/$3.lua" "$WORK/$4"
    RUN=$(( RUN + 1 ))
}

# Warm-up: creates through both (which also gives the GETs their ids), then MODE's requests.
for server in A B; do
    log "warm-up: ${WARMUP}s of create on $server (not counted)"
    load "$server" "$WARMUP" create "warmup-create-$server.out"
done
CREATED_IDS="$(owned_ids)"
(( CREATED_IDS > 0 )) || die "no bank account was created; nothing to read"
if [[ "$MODE" == get ]]; then
    for server in A B; do
        log "warm-up: ${WARMUP}s of get on $server (not counted)"
        load "$server" "$WARMUP" get "warmup-get-$server.out"
    done
fi

# Slices in the order A B B A A B B A ...: each jar as often first as second.
: >"$WORK/slices.txt"
for i in $(seq 0 $(( SLICES - 1 ))); do
    if (( i % 2 == 0 )); then order=(A B); else order=(B A); fi
    for server in "${order[@]}"; do
        slice="slice-$i-$server"
        SERVER_PID="${PID_OF[$server]}" cpu_start "$slice"
        load "$server" "$SLICE" "$MODE" "$slice.out"
        cpu_stop
        out="$WORK/$slice.out"
        echo "$server $(field "$out" ok) $(field "$out" elapsed_s) $(field "$WORK/$slice.cpu" jvm_cpu_s) \
$(field "$out" p99_ms) $(field "$out" non200) $(field "$out" socket_errors)" >>"$WORK/slices.txt"
        log "slice $((i + 1))/$SLICES on $server: $(field "$out" ok) answers"
    done
done

echo
echo "# A/B: $MODE, $SLICES slices of ${SLICE}s per jar, alternating A B B A ..., $CLIENTS clients, $(nproc) cores shared"
echo "jar_a: $JAR_A${ENV_A:+ with $ENV_A}, java $(java_version "$JAVA_OF_A")"
echo "jar_b: $JAR_B${ENV_B:+ with $ENV_B}, java $(java_version "$JAVA")"
echo "java_opts: $JAVA_OPTS"
python3 - "$WORK/slices.txt" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
per = {"A": [], "B": []}
for server, ok, elapsed, cpu_s, p99, non200, errors in rows:
    ok, elapsed, cpu_s = int(ok), float(elapsed), float(cpu_s)
    per[server].append((ok / elapsed, 1000.0 * cpu_s / ok if ok else float("nan"), float(p99),
                        int(non200), int(errors)))
for server in "AB":
    s = per[server]
    rates, cpus = [r[0] for r in s], [r[1] for r in s]
    print("%s_per_second_median: %.1f (slices %s)" % (server.lower(), statistics.median(rates),
                                                    " ".join("%.0f" % r for r in rates)))
    print("%s_jvm_cpu_ms_per_request_median: %.4f (slices %s)" % (server.lower(), statistics.median(cpus),
                                                                 " ".join("%.4f" % c for c in cpus)))
    print("%s_p99_ms_median: %.2f" % (server.lower(), statistics.median(r[2] for r in s)))
    print("%s_non200: %d, socket errors: %d" % (server.lower(), sum(r[3] for r in s), sum(r[4] for r in s)))
# Paired: each slice of B against the A slice next to it, so drift between pairs cancels.
pairs = [b[1] / a[1] for a, b in zip(per["A"], per["B"])]
rate_pairs = [b[0] / a[0] for a, b in zip(per["A"], per["B"])]
print("b_to_a_jvm_cpu_per_request: median %.3f, range %.3f-%.3f" % (statistics.median(pairs), min(pairs), max(pairs)))
print("b_to_a_rate: median %.3f, range %.3f-%.3f" % (statistics.median(rate_pairs), min(rate_pairs), max(rate_pairs)))
PY
