-- Idempotency keys (Idempotency-Key header or idempotencyKey body field) with the first answer given to each,
-- scoped to the caller's account (':admin' for the admin key). A row is written in the same transaction as the
-- request's effect; expired rows are deleted periodically.
CREATE TABLE idempotency_keys (
    scope           VARCHAR(64)              NOT NULL,
    idempotency_key VARCHAR(255)             NOT NULL,
    fingerprint     VARCHAR(64)              NOT NULL,
    status          INTEGER                  NOT NULL,
    content_type    VARCHAR(255),
    body            BYTEA                    NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);

CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
