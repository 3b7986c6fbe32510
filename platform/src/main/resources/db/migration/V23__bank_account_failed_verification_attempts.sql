-- A bank account shows how many verification attempts it has left. The failed attempts recorded before this migration
-- are counted from the event store here, as the bank-accounts projection would have (its latest failed attempt's time,
-- principal and version, where that came after the row's last change), so no rebuild is needed. The store is read
-- before the read model is altered, so its scan does not hold the table's lock. The count is matched in the payload's
-- text rather than parsed: PostgreSQL refuses to parse a JSON string holding \u0000, which a verification code
-- stored before codes had to be 4 digits may hold (an escaped quote inside a string cannot match the pattern).
CREATE TEMPORARY TABLE failed_verifications ON COMMIT DROP AS
SELECT DISTINCT ON (aggregate_identifier) aggregate_identifier, sequence_number, time_stamp,
       substring(convert_from(payload, 'UTF8') from '"failedAttempts":(\d+)')::int AS failed_attempts,
       convert_from(meta_data, 'UTF8')::json ->> 'principal' AS principal
FROM domain_event_entry
WHERE payload_type = 'com.bankaccounts.api.bankaccount.BankAccountVerificationFailedEvent'
ORDER BY aggregate_identifier, sequence_number DESC;

ALTER TABLE bank_account_view ADD COLUMN failed_verification_attempts INT NOT NULL DEFAULT 0;

UPDATE bank_account_view v
SET failed_verification_attempts = coalesce(latest.failed_attempts, 0),
    modified_at = CASE WHEN latest.sequence_number > v.version THEN latest.time_stamp::timestamptz ELSE v.modified_at END,
    modified_by = CASE WHEN latest.sequence_number > v.version
                       THEN coalesce(latest.principal, v.modified_by) ELSE v.modified_by END,
    version = greatest(v.version, latest.sequence_number)
FROM failed_verifications latest
WHERE v.id = latest.aggregate_identifier;
