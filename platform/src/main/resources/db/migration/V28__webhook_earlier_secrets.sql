-- Every earlier signing secret of an endpoint that still signs beside the current one, one row per rotation (version:
-- the rotation's event), so a second rotation within the first's overlap no longer drops the secret a receiver may
-- still hold. Encrypted, as the current one.
CREATE TABLE webhook_endpoint_earlier_secret (
    endpoint_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    encrypted_secret TEXT NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (endpoint_id, version)
);

INSERT INTO webhook_endpoint_earlier_secret (endpoint_id, version, encrypted_secret, expires_at)
SELECT id, version, previous_encrypted_secret, previous_secret_expires_at
FROM webhook_endpoint_view
WHERE previous_encrypted_secret IS NOT NULL AND previous_secret_expires_at > now();

-- V27's columns are read by nodes still on V27 while nodes are replaced one by one; a later release drops them.
