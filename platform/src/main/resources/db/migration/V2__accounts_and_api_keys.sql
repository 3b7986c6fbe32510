-- Accounts and their API keys: the way in, shared by every process. Secrets are stored only as SHA-256 hashes.
CREATE TABLE accounts (
    id         VARCHAR(32)              NOT NULL PRIMARY KEY,
    name       VARCHAR(200)             NOT NULL,
    test       BOOLEAN                  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by VARCHAR(300)             NOT NULL
);

CREATE TABLE api_keys (
    account_id  VARCHAR(32)              NOT NULL REFERENCES accounts (id),
    name        VARCHAR(100)             NOT NULL,
    role        VARCHAR(40)              NOT NULL,
    enabled     BOOLEAN                  NOT NULL,
    secret_hash VARCHAR(64)              NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by  VARCHAR(300)             NOT NULL,
    PRIMARY KEY (account_id, name),
    CONSTRAINT uq_api_keys_secret_hash UNIQUE (secret_hash)
);
