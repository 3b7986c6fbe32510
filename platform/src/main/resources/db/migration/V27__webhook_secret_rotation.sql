-- A rotated endpoint's previous signing secret (encrypted, as the current one) and until when it still signs beside
-- the current one. NULL: none.
ALTER TABLE webhook_endpoint_view ADD COLUMN previous_encrypted_secret TEXT;
ALTER TABLE webhook_endpoint_view ADD COLUMN previous_secret_expires_at TIMESTAMP WITH TIME ZONE;
