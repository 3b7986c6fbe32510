-- A value sealed with the TOKEN_ENCRYPTION_KEY of the first node that started on this database (TokenKeyCheck): a
-- node given another key refuses to start, instead of starting and failing to read every token and secret.
CREATE TABLE token_key_check (
    id     SMALLINT PRIMARY KEY CHECK (id = 1),
    sealed VARCHAR  NOT NULL
);
