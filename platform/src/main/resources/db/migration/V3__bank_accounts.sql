-- Command side: set-based validation of bank accounts, written in the same transaction as the events.
-- One row per bank account; the unique key refuses a second copy of a number in one account. The flags are what
-- funds transfers need to know, kept by the command side's own subscribing handler; the row is also the lock that
-- orders a transfer's creation against the bank account's verification.
CREATE TABLE bank_account_registry (
    bank_account_id         VARCHAR(32) NOT NULL PRIMARY KEY,
    account_id              VARCHAR(32) NOT NULL,
    bank_account_number     VARCHAR(32) NOT NULL,
    test                    BOOLEAN     NOT NULL,
    direct_debit_authorized BOOLEAN     NOT NULL DEFAULT FALSE,
    verified                BOOLEAN     NOT NULL DEFAULT FALSE,
    CONSTRAINT uq_bank_account_registry_account_number UNIQUE (account_id, bank_account_number)
);
CREATE INDEX ix_bank_account_registry_number ON bank_account_registry (bank_account_number);

-- A row per number, locked while its holders are counted, so racing accounts take turns.
CREATE TABLE bank_account_number_lock (
    bank_account_number VARCHAR(32) NOT NULL PRIMARY KEY
);

-- Query side: the bank account read model. version is the aggregate sequence number last applied.
CREATE TABLE bank_account_view (
    id                      VARCHAR(32)              NOT NULL PRIMARY KEY,
    account_id              VARCHAR(32)              NOT NULL,
    bank_account_number     VARCHAR(32)              NOT NULL,
    bank_account_name       VARCHAR(200)             NOT NULL,
    direct_debit_authorized BOOLEAN                  NOT NULL,
    status                  VARCHAR(20)              NOT NULL,
    verified                BOOLEAN                  NOT NULL,
    test                    BOOLEAN                  NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by              VARCHAR(300)             NOT NULL,
    modified_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    modified_by             VARCHAR(300)             NOT NULL,
    version                 BIGINT                   NOT NULL
);
CREATE INDEX ix_bank_account_view_account ON bank_account_view (account_id, created_at);
