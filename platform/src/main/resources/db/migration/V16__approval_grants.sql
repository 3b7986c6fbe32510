-- The intent whose grant a consent approval came from: the consents of one grant share its refresh token, which the
-- provider is asked to revoke only once the last of them has ended. Filled in for the consents already linked from
-- their intents' authorized events (their approvalIds); with events in Axon Server there are none here to read.
ALTER TABLE approval_registry ADD COLUMN connection_intent_id VARCHAR(32);
CREATE INDEX ix_approval_registry_connection_intent ON approval_registry (connection_intent_id)
    WHERE connection_intent_id IS NOT NULL;

UPDATE approval_registry r SET connection_intent_id = e.aggregate_identifier
FROM domain_event_entry e, jsonb_array_elements_text(convert_from(e.payload, 'UTF8')::jsonb -> 'approvalIds') AS a(id)
WHERE e.payload_type = 'com.bankaccounts.api.connectionintent.ConnectionIntentAuthorizedEvent'
  AND a.id = r.approval_id;
