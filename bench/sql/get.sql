-- pgbench script: the SQL of one GET /api/bank-accounts/{id}, as PostgreSQL logged it (bench/capture-sql.sh); run
-- with -M prepared, -D accounts=N and -D rows=N (fixture.sql's copies of the service's bank accounts). Keep it in
-- step with the code: after a change of the GET path's SQL, run bench/capture-sql.sh and edit this file to match.
-- The API key is not looked up: the service remembers a key it found for 5 s (ApiKeyAuthenticationProvider).
\set id 4000000000000000000 + random(1, :rows)
SELECT v.id, v.account_id, v.bank_account_number, v.bank_account_name, v.direct_debit_authorized, v.status, v.verified, v.failed_verification_attempts, v.test, v.created_at, v.created_by, v.modified_at, v.modified_by, a.type AS approval_type, a.status AS approval_status, a.modified_at AS approval_modified_at FROM bank_account_view v LEFT JOIN approval_view a ON a.bank_account_id = v.id WHERE v.id = :id ORDER BY a.modified_at, a.id;
