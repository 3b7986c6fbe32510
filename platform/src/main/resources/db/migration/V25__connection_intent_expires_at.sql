-- When a payment consent's intent ends by its own terms, so that the authorizer refuses a code for a consent already
-- past its end before spending it. Filled for the intents still waiting for a code, each from its first event (found
-- by the store's unique index, not by a scan of the store); an intent whose events are elsewhere (Axon Server) keeps
-- NULL, and its aggregate still refuses the authorization.
ALTER TABLE connection_intent_registry ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;

UPDATE connection_intent_registry r
SET expires_at = (convert_from(e.payload, 'UTF8')::JSONB -> 'paymentTerms' ->> 'expiresAt')::TIMESTAMP WITH TIME ZONE
FROM domain_event_entry e
WHERE r.status = 'created'
  AND e.aggregate_identifier = r.connection_intent_id AND e.sequence_number = 0
  AND e.payload_type = 'com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent'
  AND convert_from(e.payload, 'UTF8')::JSONB -> 'paymentTerms' ->> 'expiresAt' IS NOT NULL;
