-- Envelope encryption of consents' refresh tokens: each token is encrypted under a data key of its own, kept here
-- encrypted with the server's TOKEN_ENCRYPTION_KEY. Revoking or expiring a consent deletes its key, so the token's
-- ciphertext in the immutable event store can never be read again (crypto-shredding).
CREATE TABLE consent_data_keys (
    key_id        VARCHAR(32)              NOT NULL PRIMARY KEY,
    encrypted_key VARCHAR(200)             NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- The command side's copy of a consent approval's refresh token ciphertext, to shred and revoke it when it ends.
ALTER TABLE approval_registry ADD COLUMN encrypted_refresh_token VARCHAR;

-- db-scheduler's table (its PostgreSQL schema): durable one-time tasks (Axon deadlines such as consent expiry,
-- provider token revocations), each executed once across all nodes, surviving restarts.
CREATE TABLE scheduled_tasks (
    task_name            TEXT                     NOT NULL,
    task_instance        TEXT                     NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT                   NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
