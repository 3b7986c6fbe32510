#!/usr/bin/env bash
# Webhooks benchmark: creates per second without and with an active webhook endpoint per account, the endpoints
# receiving on a small local HTTP server; then how long the deliveries take to drain. See bench/README.md.
#
# Usage (from the repository root):  bench/webhooks.sh
# Environment: CLIENTS (8), ACCOUNTS (4), DURATION seconds per phase (20), WARMUP seconds (5), DRAIN_TIMEOUT (300),
#              PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), STARTUP_TIMEOUT (120), JAVA_OPTS, BENCH_KEEP=1.
set -euo pipefail

CLIENTS="${CLIENTS:-8}"
ACCOUNTS="${ACCOUNTS:-4}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-5}"
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-300}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-120}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER
for v in CLIENTS ACCOUNTS DURATION WARMUP DRAIN_TIMEOUT STARTUP_TIMEOUT; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "error: $v must be a whole number, got '${!v}'" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "error: wrk is required (apt-get install wrk)" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/app/target/app-0.1.0-SNAPSHOT.jar"
HOST=127.0.0.1
THREADS=$(( CLIENTS < 2 ? CLIENTS : 2 ))
SERVER_ENV=(APP_BANK_ACCOUNTS_MAX_PER_ACCOUNT=100000000 APP_WEBHOOKS_TEST_LOOPBACK=true)
BENCH_NAME=webhooks
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# ---------------------------------------------------------------- the receiver: answers every POST 204, counts them
RECEIVER_PORT="$(free_port)"
cat >"$WORK/receiver.py" <<'PY'
import sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

count = 0
lock = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global count
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            count += 1
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        body = str(count).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver).serve_forever()
PY
python3 "$WORK/receiver.py" "$RECEIVER_PORT" &
RECEIVER_PID=$!
trap 'kill $RECEIVER_PID 2>/dev/null || true; cleanup' EXIT
RECEIVER_URL="http://127.0.0.1:$RECEIVER_PORT/hooks"

create_accounts "$ACCOUNTS"
log "$ACCOUNTS test account(s)"

# The throughput benchmark's creates (bench/requests.sh).
export BENCH_IDS_DIR="$WORK"
# shellcheck source=bench/requests.sh
source "$ROOT/bench/requests.sh"
write_request_scripts "$WORK"
export BENCH_API_KEYS="$(IFS=,; echo "${API_KEYS[*]}")"

creates() { wrk_load "$1" "$2" "$WORK/create.lua" "$3"; }   # run seconds outfile

# ---------------------------------------------------------------- phase 1: no endpoint
(( WARMUP > 0 )) && { log "warm-up ${WARMUP}s"; creates 1 "$WARMUP" "$WORK/warm1.out"; }
log "phase 1: creates without webhook endpoints, $CLIENTS clients x ${DURATION}s"
creates 2 "$DURATION" "$WORK/plain.out"

# ---------------------------------------------------------------- phase 2: one endpoint per account
for key in "${API_KEYS[@]}"; do
    post_json "$BASE/api/webhook-endpoints" "$key" "{\"url\":\"$RECEIVER_URL\"}" >/dev/null
done
(( WARMUP > 0 )) && { log "warm-up ${WARMUP}s"; creates 3 "$WARMUP" "$WORK/warm2.out"; }
log "phase 2: creates with one active webhook endpoint per account, $CLIENTS clients x ${DURATION}s"
creates 4 "$DURATION" "$WORK/hooked.out"
LOAD_END=$(date +%s.%N)
PENDING_AT_END="$(db_sql "SELECT COUNT(*) FROM webhook_delivery WHERE status = 'pending'")"

log "waiting for the deliveries to drain"
deadline=$(( $(date +%s) + DRAIN_TIMEOUT ))
while (( $(db_sql "SELECT COUNT(*) FROM webhook_delivery WHERE status = 'pending'") > 0 )); do
    (( $(date +%s) < deadline )) || { log "deliveries still pending after ${DRAIN_TIMEOUT}s"; break; }
    sleep 0.5
done
DRAIN_S="$(python3 -c 'import sys, time; print("%.1f" % (time.time() - float(sys.argv[1])))' "$LOAD_END")"
DELIVERIES="$(db_sql "SELECT COUNT(*) FROM webhook_delivery")"
SUCCEEDED="$(db_sql "SELECT COUNT(*) FROM webhook_delivery WHERE status = 'succeeded'")"
FAILED="$(db_sql "SELECT COUNT(*) FROM webhook_delivery WHERE status = 'failed'")"
PENDING="$(db_sql "SELECT COUNT(*) FROM webhook_delivery WHERE status = 'pending'")"
RECEIVED="$(curl -s "http://127.0.0.1:$RECEIVER_PORT/count")"

PLAIN_PS=$(rate "$(field "$WORK/plain.out" ok)" "$(field "$WORK/plain.out" elapsed_s)")
HOOKED_PS=$(rate "$(field "$WORK/hooked.out" ok)" "$(field "$WORK/hooked.out" elapsed_s)")
echo
echo "# webhooks benchmark: POST /api/bank-accounts, $CLIENTS clients over $ACCOUNTS test accounts, ${DURATION}s per phase"
echo "# $(nproc) cores shared by server, PostgreSQL, wrk and the receiver; figures are relative, not capacity."
echo "host_load_avg_1m_at_start: $(cut -d' ' -f1 /proc/loadavg)"
echo "creates_per_second_without_endpoint: $PLAIN_PS"
echo "creates_p50_ms_without_endpoint: $(field "$WORK/plain.out" p50_ms)"
echo "creates_p99_ms_without_endpoint: $(field "$WORK/plain.out" p99_ms)"
echo "creates_per_second_with_endpoint: $HOOKED_PS"
echo "creates_p50_ms_with_endpoint: $(field "$WORK/hooked.out" p50_ms)"
echo "creates_p99_ms_with_endpoint: $(field "$WORK/hooked.out" p99_ms)"
echo "with_to_without_ratio: $(python3 -c 'import sys; print("%.3f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$HOOKED_PS" "$PLAIN_PS")"
echo "deliveries_created: $DELIVERIES (phase 2 and its warm-up: one per bank-account.created)"
echo "deliveries_pending_when_load_ended: $PENDING_AT_END"
echo "deliveries_drained_s_after_load: $DRAIN_S"
echo "deliveries_succeeded: $SUCCEEDED"
echo "deliveries_failed: $FAILED"
echo "deliveries_still_pending: $PENDING"
echo "receiver_requests: $RECEIVED"
