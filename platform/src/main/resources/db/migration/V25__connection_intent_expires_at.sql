-- When a payment consent's intent ends by its own terms, so that the authorizer refuses a code for a consent already
-- past its end before spending it. Filled from the created events of intents still waiting for a code; an intent
-- whose events are elsewhere (Axon Server) keeps NULL, and its aggregate still refuses the authorization.
ALTER TABLE connection_intent_registry ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;

UPDATE connection_intent_registry r
SET expires_at = (e.p -> 'paymentTerms' ->> 'expiresAt')::TIMESTAMP WITH TIME ZONE
FROM (SELECT convert_from(payload, 'UTF8')::JSONB AS p FROM domain_event_entry
      WHERE payload_type = 'com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent') e
WHERE r.connection_intent_id = e.p ->> 'connectionIntentId'
  AND r.status = 'created'
  AND e.p -> 'paymentTerms' ->> 'expiresAt' IS NOT NULL;
