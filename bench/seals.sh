#!/usr/bin/env bash
# What sealing costs an append, in PostgreSQL alone: pgbench transactions that each append a new stream's two events
# (as a create with a direct debit authority does) to the event table, with the seal trigger on and off, in turns.
# The server is not involved, so the figures are the database's share of a create. See bench/README.md.
#
# Usage (from the repository root):  bench/seals.sh
# Environment: CLIENTS (4), DURATION seconds per run (15), ROUNDS of on-then-off (2), PGHOST (127.0.0.1),
#              PGPORT (5432), PGUSER (postgres).
set -euo pipefail

CLIENTS="${CLIENTS:-4}"
DURATION="${DURATION:-15}"
ROUNDS="${ROUNDS:-2}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER
for v in CLIENTS DURATION ROUNDS; do
    [[ "${!v}" =~ ^[0-9]+$ ]] && (( ${!v} >= 1 )) || { echo "error: $v must be a whole number >= 1" >&2; exit 2; }
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MIGRATIONS="$ROOT/platform/src/main/resources/db/migration"
PGBENCH="$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -n 1 || true)"
[[ -x "$PGBENCH" ]] || { echo "error: pgbench not found" >&2; exit 1; }
WORK="$(mktemp -d /tmp/bench-seals.XXXXXX)"
DB="bench_seals_$(python3 -c 'import secrets; print(secrets.token_hex(6))')"

cleanup() {
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

psql -X -q -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null
# The event table as the server has it (V1), then the seals (V11).
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$MIGRATIONS/V1__event_store.sql" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$MIGRATIONS/V11__event_seals.sql" >/dev/null

# One transaction: a new stream's events 0 and 1, with payloads and metadata the size of a bank account's.
cat >"$WORK/append.sql" <<'SQL'
INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, aggregate_type, event_identifier, meta_data,
                                payload, payload_type, time_stamp)
SELECT stream.id, s, 'BankAccount', gen_random_uuid()::TEXT,
       convert_to('{"principal":"crn:WRhAxxWpTKb5U7pXyxQjjY:api-key:bench","traceId":"' || gen_random_uuid() || '"}', 'UTF8'),
       convert_to('{"bankAccountId":"' || stream.id || '","accountId":"WRhAxxWpTKb5U7pXyxQjjY","bankAccountNumber":"12-3140-0171323-000","bankAccountName":"Bench","test":true,"phoneNumber":"+64212345678","fullName":"John Doe","emailAddress":"john.doe@example.com"}', 'UTF8'),
       'com.bankaccounts.api.bankaccount.BankAccountCreatedEvent', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
FROM (SELECT gen_random_uuid()::TEXT AS id) stream, generate_series(0, 1) s
ORDER BY s;
SQL

run() { # on|off -> transactions per second
    local state=ENABLE
    [[ "$1" == off ]] && state=DISABLE
    psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "ALTER TABLE domain_event_entry $state TRIGGER seal_domain_event" >/dev/null
    "$PGBENCH" -n -c "$CLIENTS" -j "$(( CLIENTS < 2 ? CLIENTS : 2 ))" -T "$DURATION" -f "$WORK/append.sql" "$DB" \
        >"$WORK/pgbench.out" 2>&1 || { cat "$WORK/pgbench.out" >&2; exit 1; }
    sed -nE 's/^tps = ([0-9.]+).*/\1/p' "$WORK/pgbench.out" | head -n 1
}

echo "# event seal cost: pgbench appends of a new stream's two events, $CLIENTS clients, ${DURATION}s per run"
echo "# $(nproc) cores; host_load_avg_1m_at_start: $(cut -d' ' -f1 /proc/loadavg)"
ON=(); OFF=()
for round in $(seq 1 "$ROUNDS"); do
    on="$(run on)"; off="$(run off)"
    ON+=("$on"); OFF+=("$off")
    echo "round_$round: seals_on_creates_per_second: $on seals_off_creates_per_second: $off"
done
python3 - "${ON[*]}" "${OFF[*]}" <<'PY'
import statistics, sys
on = [float(x) for x in sys.argv[1].split()]
off = [float(x) for x in sys.argv[2].split()]
print("seals_on_median_per_second: %.1f" % statistics.median(on))
print("seals_off_median_per_second: %.1f" % statistics.median(off))
print("seals_on_to_off_ratio: %.3f" % (statistics.median(on) / statistics.median(off)))
PY
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "ALTER TABLE domain_event_entry ENABLE TRIGGER seal_domain_event" >/dev/null
