-- A bank account shows how many verification attempts it has left. The failed attempts recorded before this migration
-- are counted from the event store here, as the bank-accounts projection would have (its latest failed attempt's time,
-- principal and version, where that came after the row's last change), so no rebuild is needed.
ALTER TABLE bank_account_view ADD COLUMN failed_verification_attempts INT NOT NULL DEFAULT 0;

UPDATE bank_account_view v
SET failed_verification_attempts = latest.failed_attempts,
    modified_at = CASE WHEN latest.sequence_number > v.version THEN latest.time_stamp::timestamptz ELSE v.modified_at END,
    modified_by = CASE WHEN latest.sequence_number > v.version
                       THEN coalesce(latest.principal, v.modified_by) ELSE v.modified_by END,
    version = greatest(v.version, latest.sequence_number)
FROM (SELECT DISTINCT ON (aggregate_identifier) aggregate_identifier, sequence_number, time_stamp,
             (convert_from(payload, 'UTF8')::jsonb ->> 'failedAttempts')::int AS failed_attempts,
             convert_from(meta_data, 'UTF8')::jsonb ->> 'principal' AS principal
      FROM domain_event_entry
      WHERE payload_type = 'com.bankaccounts.api.bankaccount.BankAccountVerificationFailedEvent'
      ORDER BY aggregate_identifier, sequence_number DESC) latest
WHERE v.id = latest.aggregate_identifier;
