-- Media uploads: evidence files for settlement approvals, kept in the database.
CREATE TABLE media_uploads (
    id         VARCHAR(32)              NOT NULL PRIMARY KEY,
    account_id VARCHAR(32)              NOT NULL,
    file_name  VARCHAR(255)             NOT NULL,
    mime_type  VARCHAR(100)             NOT NULL,
    size       BIGINT                   NOT NULL,
    sha256     VARCHAR(64)              NOT NULL,
    purpose    VARCHAR(100),
    content    BYTEA                    NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by VARCHAR(300)             NOT NULL
);
CREATE INDEX ix_media_uploads_account ON media_uploads (account_id);

-- Command side: each approval's bank account, type and status, kept in the same transaction as its events; read
-- under the bank account's registry row lock to refuse a second settlement approval in progress.
CREATE TABLE approval_registry (
    approval_id     VARCHAR(32)              NOT NULL PRIMARY KEY,
    bank_account_id VARCHAR(32)              NOT NULL,
    account_id      VARCHAR(32)              NOT NULL,
    type            VARCHAR(40)              NOT NULL,
    status          VARCHAR(20)              NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_approval_registry_bank_account ON approval_registry (bank_account_id);

-- Query side: approvals and their activities. refresh_token is AES-GCM ciphertext, never the token itself.
CREATE TABLE approval_view (
    id              VARCHAR(32)              NOT NULL PRIMARY KEY,
    bank_account_id VARCHAR(32)              NOT NULL,
    account_id      VARCHAR(32)              NOT NULL,
    type            VARCHAR(40)              NOT NULL,
    status          VARCHAR(20)              NOT NULL,
    media_upload_id VARCHAR(32),
    refresh_token   VARCHAR,
    consent_id      VARCHAR,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by      VARCHAR(300)             NOT NULL,
    modified_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    modified_by     VARCHAR(300)             NOT NULL,
    version         BIGINT                   NOT NULL
);
CREATE INDEX ix_approval_view_bank_account ON approval_view (bank_account_id, created_at);

CREATE TABLE approval_activity_view (
    approval_id     VARCHAR(32)              NOT NULL,
    activity_number INTEGER                  NOT NULL,
    activity_type   VARCHAR(20)              NOT NULL,
    reason          VARCHAR(1000),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by      VARCHAR(300)             NOT NULL,
    PRIMARY KEY (approval_id, activity_number)
);
