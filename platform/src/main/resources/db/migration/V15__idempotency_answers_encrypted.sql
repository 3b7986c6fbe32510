-- A kept answer can hold a secret shown only once (a new API key's, a new webhook endpoint's), so answers are kept
-- encrypted with the token encryption key from now on. Rows written before stay readable as they are until they
-- expire (APP_IDEMPOTENCY_TTL).
ALTER TABLE idempotency_keys ADD COLUMN body_encrypted BOOLEAN NOT NULL DEFAULT FALSE;
