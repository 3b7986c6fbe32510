# Fills the benchmark's store before it is measured: PREFILL_BANK_ACCOUNTS (200,000) bank accounts over
# PREFILL_ACCOUNTS (2,000) test accounts, and funds transfers on them up to PREFILL_EVENTS (1,000,000) events in all.
# Fast, in SQL: one bank account (with its direct debit authority) and one withdrawal are made through the API as
# templates; their events and every row they wrote (command-side registries and locks, read models) are then cloned
# with fresh ids, numbers and owners, so the rows are what the application writes. Sourced by throughput.sh after
# the server is up (needs lib.sh's DB, BASE, ADMIN_KEY, post_json, json_field, db_sql, wait_for_fan_out, log, die).
# shellcheck shell=bash

PREFILL_BANK_ACCOUNTS="${PREFILL_BANK_ACCOUNTS:-200000}"
PREFILL_ACCOUNTS="${PREFILL_ACCOUNTS:-2000}"
PREFILL_EVENTS="${PREFILL_EVENTS:-1000000}"

log "prefill: templates through the API"
PF_ACCOUNT="$(post_json "$BASE/api/accounts" "$ADMIN_KEY" '{"name":"prefill","test":true}' | json_field id)"
PF_KEY="$(post_json "$BASE/api/accounts/$PF_ACCOUNT/api-keys" "$ADMIN_KEY" \
    '{"name":"prefill","role":"account-owner"}' | json_field secret)"
PF_NUMBER="12-3456-0000009-000"
PF_BANK_ACCOUNT="$(post_json "$BASE/api/bank-accounts" "$PF_KEY" "{\"bankAccountNumber\":\"$PF_NUMBER\",
    \"bankAccountName\":\"Prefill\",\"directDebitAuthority\":{\"phoneNumber\":\"+64212345678\",
    \"fullName\":\"Pre Fill\",\"emailAddress\":\"prefill@example.com\"}}" | json_field id)"
PF_TRANSFER="$(post_json "$BASE/api/funds-transfers" "$PF_KEY" \
    "{\"bankAccountId\":\"$PF_BANK_ACCOUNT\",\"type\":\"withdrawal\",\"amount\":\"100\"}" | json_field id)"
PF_BA_EVENTS="$(db_sql "SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = '$PF_BANK_ACCOUNT'")"
PF_FT_EVENTS="$(db_sql "SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = '$PF_TRANSFER'")"
(( PF_BA_EVENTS > 0 && PF_FT_EVENTS > 0 )) || die "prefill: the templates' events are missing"
PF_TRANSFERS=$(( (PREFILL_EVENTS - PREFILL_BANK_ACCOUNTS * PF_BA_EVENTS) / PF_FT_EVENTS ))
(( PF_TRANSFERS >= 0 )) || PF_TRANSFERS=0
log "prefill: $PREFILL_BANK_ACCOUNTS bank accounts ($PF_BA_EVENTS events each) over $PREFILL_ACCOUNTS accounts," \
    "$PF_TRANSFERS transfers ($PF_FT_EVENTS events each)"

# Ids: 22 base58 characters (prefix letter, then the number padded with 'z'; '0' is not base58, so it becomes 'y').
# Numbers: test accounts need well-formed ones only; branch 7000 + i / 10^7 keeps them apart from the benchmark's.
db_sql "
CREATE FUNCTION pg_temp.pf_id(prefix text, n bigint) RETURNS text IMMUTABLE LANGUAGE sql
    AS \$\$ SELECT prefix || translate(lpad(n::text, 21, 'z'), '0', 'y') \$\$;
CREATE FUNCTION pg_temp.pf_number(n bigint) RETURNS text IMMUTABLE LANGUAGE sql
    AS \$\$ SELECT '12-' || (7000 + n / 10000000) || '-' || lpad((n % 10000000)::text, 7, '0') || '-000' \$\$;
-- Every row of a table that names a template, cloned n times with the template's ids replaced (generic: the row
-- as JSON, ids replaced in its text, read back as a row of the table).
CREATE FUNCTION pg_temp.pf_clone(tbl text, ids text[], news text[], n bigint) RETURNS void LANGUAGE plpgsql AS \$\$
DECLARE
    expr text := 'to_jsonb(t)::text';
BEGIN
    FOR i IN 1 .. array_length(ids, 1) LOOP
        expr := format('replace(%s, %L, %s)', expr, ids[i], news[i]);
    END LOOP;
    EXECUTE format('INSERT INTO %I SELECT (jsonb_populate_record(NULL::%I, (%s)::jsonb)).*
                    FROM %I t, generate_series(1, %s) AS g WHERE to_jsonb(t)::text LIKE ANY (%L::text[])',
                   tbl, tbl, expr, tbl, n, (SELECT array_agg('%' || id || '%') FROM unnest(ids) AS id));
END \$\$;

INSERT INTO accounts (id, name, test, created_at, created_by)
SELECT pg_temp.pf_id('A', a), 'prefill ' || a, TRUE, now(), 'crn:prefill' FROM generate_series(1, $PREFILL_ACCOUNTS) a;

-- Bank account g: id B..g, account A..(g % accounts + 1), number pf_number(g).
SELECT pg_temp.pf_clone(tbl,
    ARRAY['$PF_BANK_ACCOUNT', '$PF_ACCOUNT', '$PF_NUMBER'],
    ARRAY['pg_temp.pf_id(''B'', g)', 'pg_temp.pf_id(''A'', g % $PREFILL_ACCOUNTS + 1)', 'pg_temp.pf_number(g)'],
    $PREFILL_BANK_ACCOUNTS)
FROM unnest(ARRAY['bank_account_registry', 'bank_account_number_lock', 'bank_account_view']) AS tbl;
-- Each account's number of bank accounts, as the claims that add them keep it.
INSERT INTO bank_account_holdings (account_id, bank_accounts)
SELECT account_id, COUNT(*) FROM bank_account_registry GROUP BY account_id
ON CONFLICT (account_id) DO UPDATE SET bank_accounts = EXCLUDED.bank_accounts;
INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, aggregate_type, event_identifier, meta_data,
                                payload, payload_revision, payload_type, time_stamp)
SELECT pg_temp.pf_id('B', g), e.sequence_number, e.aggregate_type, gen_random_uuid()::text,
       convert_to(replace(convert_from(e.meta_data, 'UTF8'), '$PF_ACCOUNT', pg_temp.pf_id('A', g % $PREFILL_ACCOUNTS + 1)), 'UTF8'),
       convert_to(replace(replace(replace(convert_from(e.payload, 'UTF8'), '$PF_BANK_ACCOUNT', pg_temp.pf_id('B', g)),
           '$PF_ACCOUNT', pg_temp.pf_id('A', g % $PREFILL_ACCOUNTS + 1)), '$PF_NUMBER', pg_temp.pf_number(g)), 'UTF8'),
       e.payload_revision, e.payload_type, e.time_stamp
FROM generate_series(1, $PREFILL_BANK_ACCOUNTS) AS g, domain_event_entry e
WHERE e.aggregate_identifier = '$PF_BANK_ACCOUNT'
ORDER BY g, e.sequence_number;

-- Transfer g: id T..g on bank account B..(g % bank accounts + 1) (and that one's account and number).
SELECT pg_temp.pf_clone(tbl,
    ARRAY['$PF_TRANSFER', '$PF_BANK_ACCOUNT', '$PF_ACCOUNT', '$PF_NUMBER'],
    ARRAY['pg_temp.pf_id(''T'', g)', 'pg_temp.pf_id(''B'', g % $PREFILL_BANK_ACCOUNTS + 1)',
          'pg_temp.pf_id(''A'', (g % $PREFILL_BANK_ACCOUNTS + 1) % $PREFILL_ACCOUNTS + 1)',
          'pg_temp.pf_number(g % $PREFILL_BANK_ACCOUNTS + 1)'],
    $PF_TRANSFERS)
FROM unnest(ARRAY['funds_transfer_code', 'funds_transfer_view']) AS tbl;
INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, aggregate_type, event_identifier, meta_data,
                                payload, payload_revision, payload_type, time_stamp)
SELECT pg_temp.pf_id('T', g), e.sequence_number, e.aggregate_type, gen_random_uuid()::text,
       convert_to(replace(convert_from(e.meta_data, 'UTF8'), '$PF_ACCOUNT', pg_temp.pf_id('A', (g % $PREFILL_BANK_ACCOUNTS + 1) % $PREFILL_ACCOUNTS + 1)), 'UTF8'),
       convert_to(replace(replace(replace(replace(convert_from(e.payload, 'UTF8'), '$PF_TRANSFER', pg_temp.pf_id('T', g)),
           '$PF_BANK_ACCOUNT', pg_temp.pf_id('B', g % $PREFILL_BANK_ACCOUNTS + 1)),
           '$PF_ACCOUNT', pg_temp.pf_id('A', (g % $PREFILL_BANK_ACCOUNTS + 1) % $PREFILL_ACCOUNTS + 1)),
           '$PF_NUMBER', pg_temp.pf_number(g % $PREFILL_BANK_ACCOUNTS + 1)), 'UTF8'),
       e.payload_revision, e.payload_type, e.time_stamp
FROM generate_series(1, $PF_TRANSFERS) AS g, domain_event_entry e
WHERE e.aggregate_identifier = '$PF_TRANSFER'
ORDER BY g, e.sequence_number;
" >/dev/null || die "prefill failed"
db_sql "VACUUM ANALYZE" >/dev/null
PF_TOTAL_EVENTS="$(db_sql "SELECT COUNT(*) FROM domain_event_entry")"
PF_TOTAL_BANK_ACCOUNTS="$(db_sql "SELECT COUNT(*) FROM bank_account_view")"
PREFILL_SUMMARY="$PF_TOTAL_EVENTS events, $PF_TOTAL_BANK_ACCOUNTS bank accounts, $PF_TRANSFERS funds transfers"
log "prefill: $PREFILL_SUMMARY"

# These events were written behind the webhook fan-out's back, which now takes every one of them (about 1,600 a
# second here); a store that grew through the API has no such backlog, so the phases wait until it has caught up,
# for at most PREFILL_CATCH_UP (1200) seconds.
wait_for_fan_out "${PREFILL_CATCH_UP:-1200}"

# The reads that must stay index scans however large the store: an account's bank accounts, a page of its transfers
# (the SQL of BankAccountReadModel.findByAccount and FundsTransferReadModel's first page).
PF_SOME_ACCOUNT="Azzzzzzzzzzzzzzzzzzzz7"   # pf_id('A', 7)
{
    echo "# EXPLAIN (prefilled store), an account's bank accounts:"
    db_sql "EXPLAIN SELECT id, account_id, bank_account_number, bank_account_name, direct_debit_authorized, status,
                verified, test, created_at, created_by, modified_at, modified_by
            FROM bank_account_view WHERE account_id = '$PF_SOME_ACCOUNT' ORDER BY created_at, id"
    echo "# EXPLAIN (prefilled store), a page of an account's funds transfers:"
    db_sql "EXPLAIN SELECT * FROM funds_transfer_view WHERE account_id = '$PF_SOME_ACCOUNT'
            ORDER BY created_at DESC, id DESC LIMIT 20"
    echo "# EXPLAIN (prefilled store), a next page of an account's funds transfers:"
    db_sql "EXPLAIN SELECT * FROM funds_transfer_view WHERE account_id = '$PF_SOME_ACCOUNT'
            AND (created_at, id) < (now(), 'x') ORDER BY created_at DESC, id DESC LIMIT 20"
} >"$WORK/explain.txt"
