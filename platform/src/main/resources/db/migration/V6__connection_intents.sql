-- A payment consent approval carries its terms.
ALTER TABLE approval_view ADD COLUMN consent_name VARCHAR(200);
ALTER TABLE approval_view ADD COLUMN consent_period VARCHAR(20);
ALTER TABLE approval_view ADD COLUMN consent_total_amount BIGINT;

-- Query side: connection intents (and their legacy face, bank account requests).
CREATE TABLE connection_intent_view (
    id                VARCHAR(32)              NOT NULL PRIMARY KEY,
    account_id        VARCHAR(32)              NOT NULL,
    type              VARCHAR(60)              NOT NULL,
    legacy_request    BOOLEAN                  NOT NULL,
    status            VARCHAR(20)              NOT NULL,
    test              BOOLEAN                  NOT NULL,
    bank_account_id   VARCHAR(32),
    consent_name      VARCHAR(200),
    consent_period    VARCHAR(20),
    consent_total_amount BIGINT,
    redirect_uri      VARCHAR(2000),
    authorization_url VARCHAR                  NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by        VARCHAR(300)             NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by        VARCHAR(300)             NOT NULL,
    version           BIGINT                   NOT NULL
);

-- The sandbox provider's consents: one per test intent, found by its state; the code is single use and short-lived,
-- and kept only as a hash.
CREATE TABLE sandbox_consents (
    state                VARCHAR(64)              NOT NULL PRIMARY KEY,
    connection_intent_id VARCHAR(32)              NOT NULL,
    redirect_uri         VARCHAR(2000),
    code_hash            VARCHAR(64),
    code_issued_at       TIMESTAMP WITH TIME ZONE,
    code_used            BOOLEAN                  NOT NULL,
    CONSTRAINT uq_sandbox_consents_code_hash UNIQUE (code_hash)
);

-- Command side: who owns each intent, and on which face (intent or legacy bank account request) it was made.
-- exchange_claim / exchange_started_at: the one authorization in flight, across processes (an old claim has been
-- abandoned). kept_grant: what a code exchange returned (AES-GCM ciphertext), kept until the grant is applied so
-- that a retry with the same code (grant_code_hash) does not need the spent code again.
CREATE TABLE connection_intent_registry (
    connection_intent_id VARCHAR(32)              NOT NULL PRIMARY KEY,
    account_id           VARCHAR(32)              NOT NULL,
    legacy_request       BOOLEAN                  NOT NULL,
    exchange_claim       VARCHAR(64),
    exchange_started_at  TIMESTAMP WITH TIME ZONE,
    grant_code_hash      VARCHAR(64),
    kept_grant           VARCHAR
);
