-- Tamper evidence for the event store (README, "Audit and history").
--
-- Every event is sealed as it is appended, in its own transaction, by a trigger: a SHA-256 hash chain per aggregate
-- stream (seal = H(previous seal of the stream, the event's columns)). Per stream, so concurrent appends to different
-- aggregates never wait on each other; one stream's appends are already serialised by its unique sequence numbers.
-- sealed_xid is the appending transaction's full id: checkpoints cover the events of all transactions below a horizon
-- (the oldest transaction still running), a set that can no longer change, whatever order global indexes commit in.
ALTER TABLE domain_event_entry
    ADD COLUMN seal       BYTEA,
    ADD COLUMN sealed_xid BIGINT;

-- A field with its length first, so that no two different events hash the same bytes (-1: null).
CREATE FUNCTION event_seal_field(value BYTEA) RETURNS BYTEA
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT int4send(coalesce(octet_length(value), -1)) || coalesce(value, ''::BYTEA) $$;

CREATE FUNCTION event_seal_text(value TEXT) RETURNS BYTEA
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT event_seal_field(convert_to(value, 'UTF8')) $$;

-- The one definition of an event's seal, used by the trigger, the backfill below and the verification.
CREATE FUNCTION event_seal(previous BYTEA, global_index BIGINT, aggregate_identifier TEXT, sequence_number BIGINT,
                           aggregate_type TEXT, event_identifier TEXT, payload_type TEXT, payload_revision TEXT,
                           time_stamp TEXT, meta_data BYTEA, payload BYTEA) RETURNS BYTEA
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT sha256(event_seal_field(previous)
                  || int8send(global_index)
                  || event_seal_text(aggregate_identifier)
                  || int8send(sequence_number)
                  || event_seal_text(aggregate_type)
                  || event_seal_text(event_identifier)
                  || event_seal_text(payload_type)
                  || event_seal_text(payload_revision)
                  || event_seal_text(time_stamp)
                  || event_seal_field(meta_data)
                  || event_seal_field(payload))
$$;

CREATE FUNCTION seal_domain_event() RETURNS TRIGGER
    LANGUAGE plpgsql AS
$$
DECLARE
    previous BYTEA;
BEGIN
    IF NEW.sequence_number > 0 THEN
        -- The stream's previous event: committed, or appended earlier in this transaction (unique index lookup).
        SELECT seal INTO previous FROM domain_event_entry
        WHERE aggregate_identifier = NEW.aggregate_identifier AND sequence_number = NEW.sequence_number - 1;
    END IF;
    NEW.seal := event_seal(previous, NEW.global_index, NEW.aggregate_identifier, NEW.sequence_number,
                           NEW.aggregate_type, NEW.event_identifier, NEW.payload_type, NEW.payload_revision,
                           NEW.time_stamp, NEW.meta_data, NEW.payload);
    NEW.sealed_xid := pg_current_xact_id()::TEXT::BIGINT;
    RETURN NEW;
END
$$;

-- Backfill: the events stored before this migration, stream by stream, in sequence order.
DO
$$
    DECLARE
        event    RECORD;
        previous BYTEA;
        stream   TEXT;
    BEGIN
        FOR event IN SELECT * FROM domain_event_entry ORDER BY aggregate_identifier, sequence_number
            LOOP
                IF stream IS DISTINCT FROM event.aggregate_identifier THEN
                    stream := event.aggregate_identifier;
                    previous := NULL;
                END IF;
                previous := event_seal(previous, event.global_index, event.aggregate_identifier,
                                       event.sequence_number, event.aggregate_type, event.event_identifier,
                                       event.payload_type, event.payload_revision, event.time_stamp,
                                       event.meta_data, event.payload);
                UPDATE domain_event_entry
                SET seal = previous, sealed_xid = pg_current_xact_id()::TEXT::BIGINT
                WHERE global_index = event.global_index;
            END LOOP;
    END
$$;

CREATE TRIGGER seal_domain_event
    BEFORE INSERT ON domain_event_entry
    FOR EACH ROW EXECUTE FUNCTION seal_domain_event();

-- Checkpoints find the events of a range of transactions; transaction ids grow with the table, so a BRIN index is
-- small and nearly free to maintain on append.
CREATE INDEX ix_domain_event_sealed_xid ON domain_event_entry USING brin (sealed_xid);

-- A checkpoint seals together the heads (last sequence number and seal) of every stream that transactions
-- [xid_from, xid_to) appended to, chained to the previous checkpoint; consecutive checkpoints' ranges meet.
CREATE TABLE event_seal_checkpoint (
    id            BIGINT      NOT NULL PRIMARY KEY,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    xid_from      BIGINT      NOT NULL,
    xid_to        BIGINT      NOT NULL,
    events        BIGINT      NOT NULL,
    streams       BIGINT      NOT NULL,
    heads_digest  BYTEA       NOT NULL,
    seal          BYTEA       NOT NULL,
    CONSTRAINT uq_event_seal_checkpoint_from UNIQUE (xid_from)
);

-- What a checkpoint of the range seals: how many events, how many streams, and the digest of the streams' heads.
CREATE FUNCTION event_seal_heads(from_xid BIGINT, to_xid BIGINT, OUT events BIGINT, OUT streams BIGINT,
                                 OUT digest BYTEA)
    LANGUAGE sql STABLE AS
$$
WITH covered AS (SELECT aggregate_identifier, sequence_number, seal
                 FROM domain_event_entry
                 WHERE sealed_xid >= from_xid AND sealed_xid < to_xid),
     heads AS (SELECT DISTINCT ON (aggregate_identifier) aggregate_identifier, sequence_number, seal
               FROM covered
               ORDER BY aggregate_identifier, sequence_number DESC)
SELECT (SELECT count(*) FROM covered),
       count(*),
       sha256(coalesce(string_agg(event_seal_text(aggregate_identifier) || int8send(sequence_number)
                                      || event_seal_field(seal), ''::BYTEA
                                  ORDER BY aggregate_identifier COLLATE "C"), ''::BYTEA))
FROM heads
$$;

CREATE FUNCTION event_seal_checkpoint_seal(previous BYTEA, id BIGINT, xid_from BIGINT, xid_to BIGINT, events BIGINT,
                                           streams BIGINT, heads_digest BYTEA) RETURNS BYTEA
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT sha256(event_seal_field(previous) || int8send(id) || int8send(xid_from) || int8send(xid_to)
                  || int8send(events) || int8send(streams) || event_seal_field(heads_digest))
$$;
