-- The last rebuild of each read-model projection, for the admin's status from any node. Whether a rebuild runs, and
-- how far it is, is not kept here: that is the rebuild processor's tokens in token_entry ("<projection>-rebuild").
CREATE TABLE projection_rebuild (
    projection_name VARCHAR(100)             NOT NULL PRIMARY KEY,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at     TIMESTAMP WITH TIME ZONE,
    replayed_events BIGINT,
    error           VARCHAR(1000)
);
