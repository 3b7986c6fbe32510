-- pgbench script: the SQL of one GET /api/bank-accounts/{id}, as PostgreSQL logged it (bench/capture-sql.sh); run
-- with -M prepared, -D accounts=N and -D rows=N (fixture.sql's copies of the service's bank accounts). Keep it in
-- step with the code: after a change of the GET path's SQL, run bench/capture-sql.sh and edit this file to match.
\set key 2000000000000000000 + random(0, :accounts - 1)
\set id 4000000000000000000 + random(1, :rows)
SELECT account_id, name FROM api_keys WHERE secret_hash = :key AND enabled;
SELECT id, account_id, bank_account_number, bank_account_name, direct_debit_authorized, status, verified, test, created_at, created_by, modified_at, modified_by FROM bank_account_view WHERE id = :id;
SELECT bank_account_id, type, status, modified_at FROM approval_view WHERE bank_account_id IN (:id) ORDER BY modified_at, id;
