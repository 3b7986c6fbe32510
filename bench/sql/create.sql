-- pgbench script: the SQL of one POST /api/bank-accounts, as PostgreSQL logged it (bench/capture-sql.sh), in the
-- same order and transactions; run with -M prepared (pgjdbc's server-side prepared statements) and
-- -D accounts=N and the string values throughput.sh passes with -D (pgbench reads a colon in a literal as a
-- variable, and pgjdbc sends them as parameters too). Ids are from fixture.sql's id space. Keep it in step with the code: after a change of the create
-- path's SQL, run bench/capture-sql.sh and edit this file to match.
\set k random(0, :accounts - 1)
\set acc 1000000000000000000 + :k
\set bid 3000000000000000000 + random(1, 999999999999999999)
\set num 5000000000000000000 + random(1, 999999999999999999)
-- The API key is not looked up: the service remembers a key it found for 5 s (ApiKeyAuthenticationProvider).
BEGIN;
SELECT id, name, test, created_at, created_by FROM accounts WHERE id = :acc FOR UPDATE;
SELECT EXISTS (SELECT 1 FROM bank_account_registry WHERE account_id = :acc AND bank_account_number = :num) AS held, (SELECT bank_accounts FROM bank_account_holdings WHERE account_id = :acc) AS bank_accounts;
INSERT INTO bank_account_number_lock (bank_account_number) VALUES (:num) ON CONFLICT (bank_account_number) DO UPDATE SET bank_account_number = EXCLUDED.bank_account_number;
WITH claimed AS (INSERT INTO bank_account_registry (bank_account_id, account_id, bank_account_number, test) SELECT :bid, :acc, :num, TRUE WHERE (SELECT COUNT(*) FROM (SELECT 1 FROM bank_account_registry WHERE bank_account_number = :num AND test = TRUE LIMIT 2) AS holders) < 2 RETURNING account_id) INSERT INTO bank_account_holdings (account_id, bank_accounts) SELECT account_id, 1 FROM claimed ON CONFLICT (account_id) DO UPDATE SET bank_accounts = bank_account_holdings.bank_accounts + 1;
INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, aggregate_type, time_stamp, payload_type, payload_revision, payload, meta_data) VALUES (:bid, :bid, 0, 'BankAccount', :event_time, 'com.bankaccounts.api.bankaccount.BankAccountCreatedEvent', NULL, '\x7b2262616e6b4163636f756e744964223a2255487a744c61715236416779595573624c6f45315058222c226163636f756e744964223a224b434a7a5364667432544e6345656757316962486b65222c2262616e6b4163636f756e744e756d626572223a2231322d333435362d303030303030322d303030222c2262616e6b4163636f756e744e616d65223a2242656e6368222c2274657374223a747275657d', '\x7b227072696e636970616c223a2263726e3a4b434a7a5364667432544e6345656757316962486b653a6170692d6b65793a62656e6368222c2274726163654964223a2266653932383263622d386437662d346230392d623632652d396532663433303331633330222c22636f7272656c6174696f6e4964223a2266653932383263622d386437662d346230392d623632652d396532663433303331633330227d');
INSERT INTO bank_account_view (id, account_id, bank_account_number, bank_account_name, direct_debit_authorized, status, verified, test, created_at, created_by, modified_at, modified_by, version) VALUES (:bid, :acc, :num, 'Bench', FALSE, 'created', FALSE, TRUE, :view_time, :crn, :view_time, :crn, 0) ON CONFLICT DO NOTHING;
-- The webhook recorder: the bank account's owner, and its enabled endpoints (none here: no body is written).
SELECT r.account_id, ARRAY (SELECT e.id FROM webhook_endpoint_view e WHERE e.account_id = r.account_id AND e.enabled) AS endpoints FROM bank_account_view r WHERE r.id = :bid;
COMMIT;
-- The answer: the read model, outside any transaction (the query bus opens none).
SELECT v.id, v.account_id, v.bank_account_number, v.bank_account_name, v.direct_debit_authorized, v.status, v.verified, v.failed_verification_attempts, v.test, v.created_at, v.created_by, v.modified_at, v.modified_by, a.type AS approval_type, a.status AS approval_status, a.modified_at AS approval_modified_at FROM bank_account_view v LEFT JOIN approval_view a ON a.bank_account_id = v.id WHERE v.id = :bid ORDER BY a.modified_at, a.id;
