-- Webhooks. The command side's registry: who owns an endpoint and how many each account has enabled (the limit).
CREATE TABLE webhook_endpoint_registry (
    webhook_endpoint_id VARCHAR(32) PRIMARY KEY,
    account_id          VARCHAR(32) NOT NULL,
    enabled             BOOLEAN     NOT NULL
);
CREATE INDEX webhook_endpoint_registry_account ON webhook_endpoint_registry (account_id);

-- The endpoints as the API shows them, with what delivery needs (the signing secret, encrypted).
CREATE TABLE webhook_endpoint_view (
    id               VARCHAR(32)              PRIMARY KEY,
    account_id       VARCHAR(32)              NOT NULL,
    url              VARCHAR(2048)            NOT NULL,
    -- Comma-separated; NULL: every type.
    event_types      TEXT,
    description      VARCHAR(500),
    enabled          BOOLEAN                  NOT NULL,
    test             BOOLEAN                  NOT NULL,
    encrypted_secret TEXT                     NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by       VARCHAR(300)             NOT NULL,
    version          BIGINT                   NOT NULL
);
CREATE INDEX webhook_endpoint_view_account ON webhook_endpoint_view (account_id, created_at);

-- Each event a webhook can carry, with its delivery body as it was when the event was handled: written by the read
-- model's own processor, right after the read model took the event, so data is the resource at that event's version.
-- body is encrypted like the refresh tokens it may hold (TokenCipher).
CREATE TABLE webhook_event (
    event_id   VARCHAR(64)              PRIMARY KEY,
    type       VARCHAR(100)             NOT NULL,
    account_id VARCHAR(32)              NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    body       TEXT                     NOT NULL
);

-- One row per event and endpoint, fed by the streaming processor "webhook-deliveries".
CREATE TABLE webhook_delivery (
    id               VARCHAR(32)              PRIMARY KEY,
    seq              BIGSERIAL                NOT NULL,
    endpoint_id      VARCHAR(32)              NOT NULL,
    event_id         VARCHAR(64)              NOT NULL,
    type             VARCHAR(100)             NOT NULL,
    status           VARCHAR(20)              NOT NULL,
    attempts         INTEGER                  NOT NULL DEFAULT 0,
    -- Failures since the delivery was (re)started: the position in the retry schedule.
    round_failures   INTEGER                  NOT NULL DEFAULT 0,
    last_status_code INTEGER,
    last_error       VARCHAR(300),
    last_attempt_at  TIMESTAMP WITH TIME ZONE,
    next_attempt_at  TIMESTAMP WITH TIME ZONE,
    -- A node sending it holds it until then; past it (that node died) another node sends it again.
    locked_until     TIMESTAMP WITH TIME ZONE,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT webhook_delivery_once UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_delivery_endpoint ON webhook_delivery (endpoint_id, seq);
