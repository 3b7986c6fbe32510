-- Rows the pgbench scripts need, in an id space of their own (19-digit numbers as text, so pgbench's integer
-- variables can carry them): :accounts test accounts (1000000000000000000 + k) with one enabled key each (secret
-- hash 2000000000000000000 + k), and a copy of every bank account the service created (4000000000000000000 + n),
-- for get.sql to read. Run by throughput.sh after the service's phases, before pgbench's.
INSERT INTO accounts (id, name, test, created_at, created_by)
SELECT (1000000000000000000 + k)::text, 'pgbench ' || k, TRUE, now(), 'crn:pgbench'
FROM generate_series(0, :accounts - 1) AS k;
INSERT INTO api_keys (account_id, name, role, enabled, secret_hash, created_at, created_by)
SELECT (1000000000000000000 + k)::text, 'pgbench', 'account-owner', TRUE, (2000000000000000000 + k)::text, now(),
       'crn:pgbench'
FROM generate_series(0, :accounts - 1) AS k;
CREATE TEMP TABLE service_rows AS
SELECT row_number() OVER (ORDER BY id) AS n, * FROM bank_account_view WHERE id !~ '^[0-9]{19}$';
INSERT INTO bank_account_view (id, account_id, bank_account_number, bank_account_name, direct_debit_authorized,
                               status, verified, test, created_at, created_by, modified_at, modified_by, version)
SELECT (4000000000000000000 + n)::text, (1000000000000000000 + n % :accounts)::text, bank_account_number,
       bank_account_name, direct_debit_authorized, status, verified, test, created_at, created_by, modified_at,
       modified_by, version
FROM service_rows;
-- And their registry rows and holdings, so pgbench's accounts hold as many bank accounts as the service's did when it
-- was measured (the same index sizes behind a create's checks).
INSERT INTO bank_account_registry (bank_account_id, account_id, bank_account_number, test, direct_debit_authorized,
                                   verified)
SELECT (4000000000000000000 + s.n)::text, (1000000000000000000 + s.n % :accounts)::text, r.bank_account_number,
       r.test, r.direct_debit_authorized, r.verified
FROM service_rows s JOIN bank_account_registry r ON r.bank_account_id = s.id;
INSERT INTO bank_account_holdings (account_id, bank_accounts)
SELECT (1000000000000000000 + n % :accounts)::text, COUNT(*) FROM service_rows GROUP BY n % :accounts;
-- Fresh statistics for the copied rows, as autovacuum would soon make them (a stale plan would slow pgbench alone).
ANALYZE bank_account_registry;
ANALYZE bank_account_view;
SELECT COUNT(*) AS rows FROM service_rows \gset
\echo get_rows: :rows
