#!/usr/bin/env bash
# Captures the SQL that one POST /api/bank-accounts and one GET /api/bank-accounts/{id} send, as PostgreSQL logs it
# (log_statement=all, set on a fresh benchmark database only), and prints it per request. Run it after a change of
# those paths' SQL, then bring bench/sql/create.sql and bench/sql/get.sql (the pgbench scripts throughput.sh runs)
# in step by hand: same statements, same order, same transactions, with the values as pgbench variables.
#
# Needs to read PostgreSQL's server log: PG_LOG (default /var/log/postgresql/postgresql-*-main.log, Debian's), on
# the machine PostgreSQL runs on, with a log_line_prefix that names the database (%d; Debian's default does).
#
# Usage (from the repository root):  bench/capture-sql.sh
set -euo pipefail

STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-120}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER
PG_LOG="${PG_LOG:-$(ls /var/log/postgresql/postgresql-*-main.log 2>/dev/null | sort -V | tail -n 1 || true)}"
[[ -r "$PG_LOG" ]] || { echo "error: cannot read PostgreSQL's log (PG_LOG=$PG_LOG)" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="${JAR:-$ROOT/app/target/app-0.1.0-SNAPSHOT.jar}"
HOST=127.0.0.1
SERVER_ENV=(APP_BANK_ACCOUNTS_MAX_PER_ACCOUNT=100000000)
DB_SETTINGS="log_statement=all"
BENCH_NAME=capture
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

START_LINE=$(( $(wc -l <"$PG_LOG") + 1 ))
marker() { psql -X -q -d "$DB" -c "SELECT 'bench-marker $1'" >/dev/null; }

ACCOUNT_ID="$(post_json "$BASE/api/accounts" "$ADMIN_KEY" '{"name":"capture","test":true}' | json_field id)"
API_KEY="$(post_json "$BASE/api/accounts/$ACCOUNT_ID/api-keys" "$ADMIN_KEY" \
    '{"name":"bench","role":"account-owner"}' | json_field secret)"
# A first create and GET warm the server's caches, so the captured ones are those of the steady state.
FIRST="$(post_json "$BASE/api/bank-accounts" "$API_KEY" \
    '{"bankAccountNumber":"12-3456-0000001-000","bankAccountName":"Bench"}' | json_field id)"
curl -s -o /dev/null -H "x-api-key: $API_KEY" "$BASE/api/bank-accounts/$FIRST"
sleep 1
marker create-begin
ID="$(post_json "$BASE/api/bank-accounts" "$API_KEY" \
    '{"bankAccountNumber":"12-3456-0000002-000","bankAccountName":"Bench"}' | json_field id)"
marker create-end
marker get-begin
curl -s -o /dev/null -H "x-api-key: $API_KEY" "$BASE/api/bank-accounts/$ID"
marker get-end
sleep 0.5

# Log lines: "<time> [pid] user@db LOG:  statement: ..." or "execute <name>: ...", continued on unprefixed lines.
tail -n +"$START_LINE" "$PG_LOG" | python3 -c '
import re, sys
db = sys.argv[1]
head = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \w+ \[(\d+)\] (\S*)@(\S*) (\w+):  (.*)$")
entries = []
for line in sys.stdin:
    line = line.rstrip("\n")
    m = head.match(line)
    if m:
        entries.append([m.group(1), m.group(3), m.group(4), m.group(5)])
    elif entries:
        entries[-1][3] += "\n" + line
section = None
for pid, database, level, text in entries:
    if database != db:
        continue
    marker = re.search(r"bench-marker ([a-z-]+)", text)
    if marker:
        section = marker.group(1)
        print("-- " + section)
        continue
    if section and section.endswith("-begin"):
        if level == "LOG":
            text = re.sub(r"^(statement|execute [^:]*): ", "", text)
        print("%-6s [%s] %s" % (level, pid, text))
' "$DB"
