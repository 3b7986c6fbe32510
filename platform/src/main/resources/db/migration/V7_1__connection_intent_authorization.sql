-- What the authorizer reads of an intent before it spends a code (kept in step with the intent's events on the
-- command side): its status, liveness, type, state, redirect URI and encrypted PKCE verifier.
ALTER TABLE connection_intent_registry ADD COLUMN status VARCHAR(20);
ALTER TABLE connection_intent_registry ADD COLUMN test BOOLEAN;
ALTER TABLE connection_intent_registry ADD COLUMN type VARCHAR(60);
ALTER TABLE connection_intent_registry ADD COLUMN state VARCHAR(128);
ALTER TABLE connection_intent_registry ADD COLUMN redirect_uri VARCHAR(2000);
ALTER TABLE connection_intent_registry ADD COLUMN encrypted_code_verifier VARCHAR;

-- Intents made before: filled from their events (payloads are JSON).
UPDATE connection_intent_registry r
SET status = 'created',
    test = (e.p ->> 'test')::BOOLEAN,
    type = e.p ->> 'type',
    state = e.p ->> 'state',
    redirect_uri = e.p ->> 'redirectUri',
    encrypted_code_verifier = e.p ->> 'encryptedCodeVerifier'
FROM (SELECT convert_from(payload, 'UTF8')::JSONB AS p FROM domain_event_entry
      WHERE payload_type = 'com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent') e
WHERE r.connection_intent_id = e.p ->> 'connectionIntentId';

UPDATE connection_intent_registry r SET status = 'authorized'
FROM (SELECT convert_from(payload, 'UTF8')::JSONB AS p FROM domain_event_entry
      WHERE payload_type = 'com.bankaccounts.api.connectionintent.ConnectionIntentAuthorizedEvent') e
WHERE r.connection_intent_id = e.p ->> 'connectionIntentId';

UPDATE connection_intent_registry r SET status = 'failed'
FROM (SELECT convert_from(payload, 'UTF8')::JSONB AS p FROM domain_event_entry
      WHERE payload_type = 'com.bankaccounts.api.connectionintent.ConnectionIntentFailedEvent') e
WHERE r.connection_intent_id = e.p ->> 'connectionIntentId';
