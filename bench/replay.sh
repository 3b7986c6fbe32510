#!/usr/bin/env bash
# Replay benchmark: how fast a projection is rebuilt from the event store. Puts EVENTS events of the projection
# (default 100000, cloned in SQL from one resource made through the API with two events: with PROJECTION=approvals,
# the default, an approval requested then accepted; with PROJECTION=bank-accounts, a bank account created then given a
# direct-debit authority; with PROJECTION=funds-transfers, a top up of a test bank account, created and settled at
# once; with PROJECTION=connection-intents, a test intent created then declined) into a fresh PostgreSQL event
# store, asks the admin endpoint to rebuild that projection (Axon's pooled streaming processor `<projection>-rebuild`
# into tables built aside, then switched in), and prints events per second: over the whole rebuild, and for the
# processor alone (until its token, read from token_entry, reached the head).
#
# With QUERY_SIDE=1 it measures instead how fast a query-side process (QuerySideApplication, profile query-only)
# catches up on that store: the assembly is stopped, the query side started from the same jar, and the projection's
# live processor (no token yet, so from the first event) followed until it reaches the head.
#
# Usage (from the repository root):  bench/replay.sh
# Environment: EVENTS (100000), PROJECTION (approvals | bank-accounts | funds-transfers | connection-intents),
#              QUERY_SIDE (0), WARM_REPLAYS uncounted
#              rebuilds before the measured one (2), PGHOST (127.0.0.1),
#              PGPORT (5432), PGUSER (postgres), STARTUP_TIMEOUT (120),
#              JAVA_OPTS, BENCH_KEEP=1 keeps the work dir, JFR=1 records the measured rebuild or catch-up
#              (JDK Flight Recorder) and prints its hottest frames (bench/jfr_top.py).
set -euo pipefail

EVENTS="${EVENTS:-100000}"
WARM_REPLAYS="${WARM_REPLAYS:-2}"
PROJECTION="${PROJECTION:-approvals}"
JFR="${JFR:-0}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-120}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER
# What the check after each rebuild counts: the read model's rows, and those showing the template's second event (an
# approval's activities count both of its events).
case "$PROJECTION" in
    approvals) ROWS_SQL="SELECT COUNT(*) FROM approval_view"
        CHANGED_SQL="SELECT COUNT(*) FROM approval_activity_view" ;;
    bank-accounts) ROWS_SQL="SELECT COUNT(*) FROM bank_account_view"
        CHANGED_SQL="$ROWS_SQL WHERE direct_debit_authorized" ;;
    funds-transfers) ROWS_SQL="SELECT COUNT(*) FROM funds_transfer_view"
        CHANGED_SQL="$ROWS_SQL WHERE posted_at IS NOT NULL" ;;
    connection-intents) ROWS_SQL="SELECT COUNT(*) FROM connection_intent_view"
        CHANGED_SQL="$ROWS_SQL WHERE status = 'declined'" ;;
    *) echo "error: PROJECTION must be approvals, bank-accounts, funds-transfers or connection-intents" >&2; exit 2 ;;
esac
[[ "$WARM_REPLAYS" =~ ^[0-9]+$ ]] || { echo "error: WARM_REPLAYS must be a whole number" >&2; exit 2; }
[[ "$EVENTS" =~ ^[0-9]+$ ]] && (( EVENTS >= 2 )) || { echo "error: EVENTS must be a whole number >= 2" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="${JAR:-$ROOT/app/target/app-0.1.0-SNAPSHOT.jar}"
HOST=127.0.0.1
SERVER_ENV=()
BENCH_NAME=replay
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"


# ---------------------------------------------------------------- one resource through the API, as the template
ACCOUNT_ID="$(post_json "$BASE/api/accounts" "$ADMIN_KEY" '{"name":"bench","test":true}' | json_field id)"
API_KEY="$(post_json "$BASE/api/accounts/$ACCOUNT_ID/api-keys" "$ADMIN_KEY" \
    '{"name":"bench","role":"account-owner"}' | json_field secret)"
BANK_ACCOUNT_ID="$(post_json "$BASE/api/bank-accounts" "$API_KEY" \
    '{"bankAccountNumber":"12-3456-0000001-000","bankAccountName":"Bench"}' | json_field id)"
case "$PROJECTION" in
approvals)
    printf '%%PDF-1.4 bench\n' >"$WORK/evidence.pdf"
    MEDIA_ID="$(curl -s --max-time 30 -X POST "$BASE/api/media-uploads" -H "x-api-key: $API_KEY" \
        -F "file=@$WORK/evidence.pdf" | json_field id)"
    TEMPLATE_ID="$(post_json "$BASE/api/bank-account-approvals" "$API_KEY" \
        "{\"mediaUploadId\":\"$MEDIA_ID\",\"bankAccountId\":\"$BANK_ACCOUNT_ID\",\"type\":\"settlement\"}" | json_field id)"
    post_json "$BASE/api/bank-account-approvals/$TEMPLATE_ID/accept" "$ADMIN_KEY" '{"reason":"bench"}' >/dev/null
    AGGREGATE_TYPE=Approval
    ;;
bank-accounts|funds-transfers)
    post_json "$BASE/api/bank-accounts/$BANK_ACCOUNT_ID/direct-debit-authorities" "$API_KEY" \
        '{"phoneNumber":"+6421000000","fullName":"Bench","emailAddress":"bench@example.com"}' >/dev/null
    if [[ "$PROJECTION" == bank-accounts ]]; then
        TEMPLATE_ID="$BANK_ACCOUNT_ID"
        AGGREGATE_TYPE=BankAccount
    else
        # A test bank account's transfer is settled as it is created; a top up is released only once it is verified.
        TEMPLATE_ID="$(post_json "$BASE/api/funds-transfers" "$API_KEY" \
            "{\"bankAccountId\":\"$BANK_ACCOUNT_ID\",\"type\":\"topup\",\"amount\":\"1000\"}" | json_field id)"
        AGGREGATE_TYPE=FundsTransfer
    fi
    ;;
connection-intents)
    TEMPLATE_ID="$(post_json "$BASE/api/bank-account-connection-intents" "$API_KEY" \
        "{\"accountId\":\"$ACCOUNT_ID\",\"type\":\"account-information-consent\",\"test\":true}" | json_field id)"
    post_json "$BASE/api/bank-account-connection-intents/$TEMPLATE_ID/authorize" "$API_KEY" \
        '{"error":"access_denied"}' >/dev/null
    AGGREGATE_TYPE=ConnectionIntent
    ;;
esac
TEMPLATE_EVENTS="$(db_sql "SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = '$TEMPLATE_ID'")"
[[ "$TEMPLATE_EVENTS" == 2 ]] || die "the template $TEMPLATE_ID has $TEMPLATE_EVENTS events, not 2"
log "template: $PROJECTION $TEMPLATE_ID"

# ---------------------------------------------------------------- clone it in SQL
CLONES=$(( EVENTS / 2 - 1 ))
log "inserting $(( CLONES * 2 )) more $AGGREGATE_TYPE events"
# Ids: 22 base58 characters, padded with 'z' ('0' is not base58, so it becomes 'y').
db_sql "INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, aggregate_type, event_identifier,
         meta_data, payload, payload_revision, payload_type, time_stamp)
     SELECT id, e.sequence_number, e.aggregate_type, gen_random_uuid()::text, e.meta_data,
            convert_to(replace(convert_from(e.payload, 'UTF8'), '$TEMPLATE_ID', id), 'UTF8'),
            e.payload_revision, e.payload_type, e.time_stamp
     FROM generate_series(1, $CLONES) AS g,
          LATERAL (SELECT 'R' || translate(lpad(g::text, 21, 'z'), '0', 'y') AS id) AS ids,
          domain_event_entry e
     WHERE e.aggregate_identifier = '$TEMPLATE_ID'
     ORDER BY g, e.sequence_number"
TOTAL="$(db_sql "SELECT COUNT(*) FROM domain_event_entry")"
PROJECTION_EVENTS="$(db_sql "SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_type = '$AGGREGATE_TYPE'")"
db_sql "ANALYZE" >/dev/null
log "event store: $TOTAL events, $PROJECTION_EVENTS of them $AGGREGATE_TYPE events"

# ---------------------------------------------------------------- replay
wait_for_fan_out "${FAN_OUT_CATCH_UP:-600}"
HEAD="$(db_sql "SELECT MAX(global_index) FROM domain_event_entry")"

if [[ "${QUERY_SIDE:-0}" == 1 ]]; then
    stop_server
    START_NS="$(date +%s%N)"
    start_server -Dloader.main=com.bankaccounts.query.QuerySideApplication -cp "$JAR" \
        org.springframework.boot.loader.launch.PropertiesLauncher
    # Its processors start with the process: what they did before it answered is in the wall time only; the rate
    # and the CPU are over the events taken after that.
    cpu_start catch_up
    jfr_start catch_up
    read -r UP_NS UP_POSITION END_NS < <(python3 - "$BASE" "$ADMIN_KEY" "$HEAD" "$PROJECTION" <<'PY'
import json, sys, time, urllib.request
base, key, head, projection = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
request = urllib.request.Request(base + "/api/admin/projections/" + projection, headers={"x-api-key": key})
first = None
while True:
    now = time.time_ns()
    with urllib.request.urlopen(request, timeout=10) as answer:
        position = json.load(answer).get("position") or 0
    if first is None:
        first = (now, position)
    if position >= head:
        break
    time.sleep(0.05)
print(first[0], first[1], time.time_ns())
PY
)
    cpu_stop
    jfr_stop catch_up
    [[ -n "$END_NS" ]] || die "the catch-up could not be followed"
    if [[ -f "$WORK/catch_up.jfr.txt" ]]; then
        echo "# JFR of the catch-up (kept with BENCH_KEEP=1: $WORK/catch_up.jfr)"
        sed 's/^/#   /' "$WORK/catch_up.jfr.txt"
    fi
    python3 - "$START_NS" "$UP_NS" "$UP_POSITION" "$END_NS" "$HEAD" "$WORK/catch_up.cpu" "$PROJECTION" <<'PY'
import sys
start, up, up_position, end, head = (int(v) for v in sys.argv[1:6])
cpu = dict(line.split(": ", 1) for line in open(sys.argv[6]).read().splitlines() if ": " in line)
taken = max(head - up_position, 1)
print(f"events_in_store: {head}")
print(f"query_side_up_seconds: {(up - start) / 1e9:.2f} (its {sys.argv[7]} processor at event {up_position} by then)")
print(f"query_side_caught_up_seconds: {(end - start) / 1e9:.2f} (from its start)")
print(f"query_side_events_per_second: {taken / max((end - up) / 1e9, 1e-9):.0f} (once up)")
print(f"jvm_cpu_us_per_event: {1e6 * float(cpu['jvm_cpu_s']) / taken:.1f}")
print(f"pg_cpu_us_per_event: {1e6 * float(cpu['pg_cpu_s']) / taken:.1f}")
PY
    exit 0
fi
# replay_once [cpu_name]: one rebuild of the projection, timed (START_NS, CAUGHT_UP_NS, END_NS), its
# replayed events counted (REPLAYED) and checked; with cpu_name, the CPU spent while it ran (cpu_start, cpu_stop).
replay_once() {
    [[ -z "${1:-}" ]] || cpu_start "$1"
    # One python process follows the whole rebuild, polling every 50 ms: a curl and a python per poll took a fifth of
    # the 2 cores from what is measured. It ends when the event count, recorded just after the switch commits, is in.
    read -r START_NS CAUGHT_UP_NS END_NS REPLAYED ERROR < <(python3 - "$BASE" "$ADMIN_KEY" "$HEAD" "$PROJECTION" <<'PY'
import json, sys, time, urllib.request
base, key, head, projection = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def call(method, path):
    request = urllib.request.Request(base + path, method=method, headers={"x-api-key": key},
                                     data=b"" if method == "POST" else None)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)
start = time.time_ns()
call("POST", "/api/admin/projections/" + projection + "/replay")
caught_up = end = None
while True:
    status = call("GET", "/api/admin/projections/" + projection)
    if status.get("replaying"):
        if caught_up is None and (status.get("rebuildPosition") or 0) >= head - 200:
            caught_up = time.time_ns()
    elif end is None:
        end = time.time_ns()
    if end is not None and status.get("replayedEvents"):
        break
    time.sleep(0.05)
print(start, caught_up or end, end, status["replayedEvents"], status.get("replayError") or "")
PY
)
    [[ -z "${1:-}" ]] || cpu_stop
    [[ -n "$REPLAYED" ]] || die "the rebuild could not be followed"
    [[ -z "$ERROR" ]] || die "replay failed: $ERROR (see $WORK/server.log with BENCH_KEEP=1)"
    ROWS="$(db_sql "$ROWS_SQL")"
    CHANGED="$(db_sql "$CHANGED_SQL")"
    WANTED_CHANGED="$(( CLONES + 1 ))"
    [[ "$PROJECTION" != approvals ]] || WANTED_CHANGED="$PROJECTION_EVENTS"
    [[ "$ROWS" == "$(( CLONES + 1 ))" && "$CHANGED" == "$WANTED_CHANGED" ]] \
        || die "read model incomplete after replay: $ROWS rows, $CHANGED of them as the second event left them"
    [[ "$(db_sql "SELECT COUNT(*) FROM token_entry WHERE processor_name = '$PROJECTION-rebuild'")" == 0 ]] \
        || die "the rebuild's tokens are still in token_entry"
}
# Uncounted rebuilds first, so that the JIT has compiled the replay's path (as the throughput benchmark warms up).
for round in $(seq 1 "$WARM_REPLAYS"); do
    log "warm-up rebuild $round of $WARM_REPLAYS (not counted)"
    replay_once
    log "warm-up rebuild: $(( ($END_NS - $START_NS) / 1000000 )) ms"
done
jfr_start replay
replay_once replay
jfr_stop replay
if [[ -f "$WORK/replay.jfr.txt" ]]; then
    echo "# JFR of the measured rebuild (kept with BENCH_KEEP=1: $WORK/replay.jfr)"
    sed 's/^/#   /' "$WORK/replay.jfr.txt"
fi

python3 - "$START_NS" "$CAUGHT_UP_NS" "$END_NS" "$REPLAYED" "$PROJECTION_EVENTS" "$WORK/replay.cpu" "$PROJECTION" <<'PY'
import sys
start, caught_up, end, replayed, projection_events = (int(v) for v in sys.argv[1:6])
cpu = dict(line.split(": ", 1) for line in open(sys.argv[6]).read().splitlines() if ": " in line)
seconds = (end - start) / 1e9
processing = max((caught_up - start) / 1e9, 1e-9)
print(f"events_in_store: {replayed}")
print(f"projection: {sys.argv[7]}")
print(f"projection_events: {projection_events}")
print(f"rebuild_wall_seconds: {seconds:.2f}")
print(f"rebuild_processor_seconds: {processing:.2f}")
print(f"replayed_events_per_second: {replayed / seconds:.0f}")
print(f"processor_events_per_second: {replayed / processing:.0f}")
print(f"projection_events_per_second: {projection_events / seconds:.0f}")
print(f"jvm_cpu_us_per_event: {1e6 * float(cpu['jvm_cpu_s']) / replayed:.1f}")
print(f"pg_cpu_us_per_event: {1e6 * float(cpu['pg_cpu_s']) / replayed:.1f}")
PY
