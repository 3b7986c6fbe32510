-- Command side: each transfer's verification code, written in the transaction that creates the transfer; read
-- to decide which codes can verify a bank account (only once the bank has posted the transfer: settled_at), and
-- which transfers a verification releases.
CREATE TABLE funds_transfer_code (
    funds_transfer_id   VARCHAR(32)              NOT NULL PRIMARY KEY,
    bank_account_id     VARCHAR(32)              NOT NULL,
    account_id          VARCHAR(32)              NOT NULL,
    bank_account_number VARCHAR(32)              NOT NULL,
    type                VARCHAR(20)              NOT NULL,
    verification_code   VARCHAR(4)               NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    settled_at          TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ix_funds_transfer_code_bank_account ON funds_transfer_code (bank_account_id, settled_at);
CREATE INDEX ix_funds_transfer_code_number ON funds_transfer_code (bank_account_number, settled_at);

-- Query side: the funds transfer read model. verification_code is only shown on a test account's sandbox statement.
CREATE TABLE funds_transfer_view (
    id                VARCHAR(32)              NOT NULL PRIMARY KEY,
    account_id        VARCHAR(32)              NOT NULL,
    bank_account_id   VARCHAR(32)              NOT NULL,
    type              VARCHAR(20)              NOT NULL,
    amount            BIGINT                   NOT NULL,
    status            VARCHAR(20)              NOT NULL,
    verification_code VARCHAR(4)               NOT NULL,
    test              BOOLEAN                  NOT NULL,
    posted_at         TIMESTAMP WITH TIME ZONE,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by        VARCHAR(300)             NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by        VARCHAR(300)             NOT NULL,
    version           BIGINT                   NOT NULL
);
CREATE INDEX ix_funds_transfer_view_account ON funds_transfer_view (account_id, created_at, id);
CREATE INDEX ix_funds_transfer_view_bank_account ON funds_transfer_view (bank_account_id, created_at);
