-- Each read-model projection's last rebuild, for the admin's status from any node, and whether its switch is held.
-- Whether a rebuild runs, and how far it is, is not kept here: that is the rebuild processor's tokens in token_entry
-- ("<projection>-rebuild").
CREATE TABLE projection_rebuild (
    projection_name VARCHAR(100)             NOT NULL PRIMARY KEY,
    started_at      TIMESTAMP WITH TIME ZONE,
    finished_at     TIMESTAMP WITH TIME ZONE,
    replayed_events BIGINT,
    error           VARCHAR(1000),
    switch_held     BOOLEAN                  NOT NULL DEFAULT FALSE
);
