package com.bankaccounts.platform.audit;

import com.bankaccounts.api.common.Timestamps;
import java.sql.Timestamp;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The event store's seals (migration V11): the hash chain of every aggregate stream, written by a trigger as events
 * are appended, and the checkpoints that seal the streams' heads together, so that a stream removed whole is caught
 * as well. {@link #verify} re-walks both from the stored rows; the hashing itself is the SQL functions' alone, so the
 * trigger and the check cannot disagree on what a seal covers.
 */
@Component
public class EventSeals {

    private static final Logger log = LoggerFactory.getLogger(EventSeals.class);
    private static final HexFormat HEX = HexFormat.of();
    /** One checkpoint writer at a time across all nodes (a transaction-scoped advisory lock). */
    private static final String CHECKPOINT_LOCK = "event-seal-checkpoint";

    /**
     * The oldest transaction of this database still running (else the next transaction id): every event of a
     * transaction below it is committed or never will be. A transaction is passed over only when its lock shows a
     * backend of another database (which can never write here), so a long transaction elsewhere on the server does
     * not hold checkpoints back; one whose backend is not seen (a prepared one) still does.
     */
    private static final String HORIZON = """
            SELECT least(pg_snapshot_xmax(s.snap)::TEXT::BIGINT,
                         (SELECT min(x::TEXT::BIGINT)
                          FROM pg_snapshot_xip(s.snap) x
                          WHERE NOT EXISTS (SELECT 1
                                            FROM pg_locks l
                                                     JOIN pg_stat_activity a ON a.pid = l.pid
                                            WHERE l.locktype = 'transactionid'
                                              AND l.transactionid = xid(x)
                                              AND a.datid <> (SELECT oid FROM pg_database
                                                              WHERE datname = current_database()))))
            FROM (SELECT pg_current_snapshot() AS snap) s""";

    /** The next transaction id, assigning none: below a checkpoint's end only in another cluster (logical restore). */
    private static final String NEXT_XID = "SELECT pg_snapshot_xmax(pg_current_snapshot())::TEXT::BIGINT";
    static final String XIDS_BEHIND = "transaction-ids-behind";
    private static final String XIDS_BEHIND_DETAIL = "the database's transaction ids are behind the last checkpoint's:"
            + " it was restored from a logical dump into another cluster, whose ids start again (README, Audit and"
            + " history, on restoring)";

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final TransactionTemplate snapshot;

    public EventSeals(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        // One snapshot for the whole walk: appends made meanwhile are neither half seen nor taken for gaps.
        this.snapshot = new TransactionTemplate(transactionManager);
        this.snapshot.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
    }

    /** Where the store first fails its seals: an event (aggregate, sequence) or a checkpoint. */
    public record Break(String aggregate, String aggregateType, Long sequence, Long globalIndex, Long checkpoint,
                        String reason, String detail) {
    }

    public record Checkpoint(long id, String createdAt, long events, long streams, String seal) {
    }

    public record Verification(boolean verified, long events, long checkpoints, Checkpoint lastCheckpoint,
                               Break firstBreak) {
    }

    /**
     * Seals, in a new checkpoint, the heads of the streams that transactions appended to since the last checkpoint,
     * up to the oldest transaction of this database still running (so that no event of the range can still commit
     * later). Empty when another node holds the lock or nothing new is finished.
     */
    public Optional<Checkpoint> checkpoint() {
        Optional<Checkpoint> made = transaction.execute(status -> {
            Boolean locked = jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtext(?))").param(CHECKPOINT_LOCK)
                    .query(Boolean.class).single();
            if (!Boolean.TRUE.equals(locked)) {
                return Optional.<Checkpoint>empty();
            }
            record Last(long id, long xidTo, byte[] seal) {
            }
            Last last = jdbc.sql("SELECT id, xid_to, seal FROM event_seal_checkpoint ORDER BY id DESC LIMIT 1")
                    .query((rs, n) -> new Last(rs.getLong(1), rs.getLong(2), rs.getBytes(3))).optional()
                    .orElse(new Last(0, 0, null));
            long horizon = jdbc.sql(HORIZON).query(Long.class).single();
            if (horizon <= last.xidTo()) {
                if (jdbc.sql(NEXT_XID).query(Long.class).single() < last.xidTo()) {
                    // Else silent for good: new events fall in old checkpoints' ranges, and no checkpoint covers them.
                    log.error("No event seal checkpoint can be made: {} (checkpoint {} ends at transaction {})",
                            XIDS_BEHIND_DETAIL, last.id(), last.xidTo());
                }
                return Optional.<Checkpoint>empty();
            }
            // Whether the range has an event, not event_seal_heads' count: that would digest every head of the range
            // once more before the insert below does (its most expensive part, 40% of a checkpoint's time).
            boolean any = jdbc.sql("""
                            SELECT EXISTS (SELECT 1 FROM domain_event_entry WHERE sealed_xid >= ? AND sealed_xid < ?)""")
                    .params(last.xidTo(), horizon).query(Boolean.class).single();
            if (!any) {
                // Nothing to seal; the next checkpoint's range starts where the last one ended, so none is skipped.
                return Optional.<Checkpoint>empty();
            }
            Checkpoint checkpoint = jdbc.sql("""
                            INSERT INTO event_seal_checkpoint (id, xid_from, xid_to, events, streams, heads_digest, seal)
                            SELECT :id, :from, :to, h.events, h.streams, h.digest,
                                   event_seal_checkpoint_seal(:previous, :id, :from, :to, h.events, h.streams, h.digest)
                            FROM event_seal_heads(:from, :to) h
                            RETURNING id, created_at, events, streams, seal""")
                    .param("id", last.id() + 1).param("from", last.xidTo()).param("to", horizon)
                    .param("previous", last.seal())
                    .query((rs, n) -> new Checkpoint(rs.getLong(1), Timestamps.format(rs.getTimestamp(2).toInstant()),
                            rs.getLong(3), rs.getLong(4), HEX.formatHex(rs.getBytes(5))))
                    .single();
            return Optional.of(checkpoint);
        });
        // Logged once committed, so that a copy outside the database anchors only checkpoints that exist (README).
        made.ifPresent(checkpoint -> log.info("Event seal checkpoint {}: {} events in {} streams, seal {}",
                checkpoint.id(), checkpoint.events(), checkpoint.streams(), checkpoint.seal()));
        return made;
    }

    /** Re-walks every stream's chain and every checkpoint; the first break found, if any. */
    public Verification verify() {
        return snapshot.execute(status -> {
            long events = jdbc.sql("SELECT COUNT(*) FROM domain_event_entry").query(Long.class).single();
            List<Checkpoint> checkpoints = jdbc.sql("""
                            SELECT id, created_at, events, streams, seal FROM event_seal_checkpoint ORDER BY id""")
                    .query((rs, n) -> new Checkpoint(rs.getLong(1), format(rs.getTimestamp(2)), rs.getLong(3),
                            rs.getLong(4), HEX.formatHex(rs.getBytes(5))))
                    .list();
            Checkpoint last = checkpoints.isEmpty() ? null : checkpoints.get(checkpoints.size() - 1);
            Break firstBreak = firstBrokenEvent().or(this::transactionIdsBehind).or(this::firstBrokenCheckpoint)
                    .orElse(null);
            return new Verification(firstBreak == null, events, checkpoints.size(), last, firstBreak);
        });
    }

    /** The earliest appended event whose seal does not follow from its stream's previous one and its own columns. */
    private Optional<Break> firstBrokenEvent() {
        return jdbc.sql("""
                        SELECT aggregate_identifier, aggregate_type, sequence_number, global_index, reason,
                               previous_sequence
                        FROM (SELECT *,
                                     CASE
                                         WHEN seal IS NULL THEN 'unsealed'
                                         WHEN previous_sequence IS NULL AND sequence_number <> 0
                                             THEN 'stream-start-missing'
                                         WHEN previous_sequence IS NOT NULL AND sequence_number <> previous_sequence + 1
                                             THEN 'sequence-gap'
                                         WHEN seal <> event_seal(previous_seal, global_index, aggregate_identifier,
                                                                 sequence_number, aggregate_type, event_identifier,
                                                                 payload_type, payload_revision, time_stamp,
                                                                 meta_data, payload)
                                             THEN 'seal-mismatch'
                                     END AS reason
                              FROM (SELECT e.*,
                                           lag(seal) OVER stream AS previous_seal,
                                           lag(sequence_number) OVER stream AS previous_sequence
                                    FROM domain_event_entry e
                                    WINDOW stream AS (PARTITION BY aggregate_identifier ORDER BY sequence_number)) walked
                             ) checked
                        WHERE reason IS NOT NULL
                        ORDER BY global_index
                        LIMIT 1""")
                .query((rs, n) -> {
                    long sequence = rs.getLong(3);
                    String reason = rs.getString(5);
                    String detail = switch (reason) {
                        case "unsealed" -> "the event was stored without its seal";
                        case "stream-start-missing" -> "the stream has no event before sequence " + sequence;
                        case "sequence-gap" -> "the stream goes from sequence " + rs.getLong(6) + " to " + sequence;
                        default -> "the event's stored columns or seal differ from what was sealed";
                    };
                    return new Break(rs.getString(1), rs.getString(2), sequence, rs.getLong(4), null, reason, detail);
                })
                .optional();
    }

    /** The last checkpoint, when it ends past the next transaction id: its range and the new events' overlap. */
    private Optional<Break> transactionIdsBehind() {
        return jdbc.sql("SELECT id FROM event_seal_checkpoint WHERE xid_to > (" + NEXT_XID + ")"
                        + " ORDER BY id DESC LIMIT 1")
                .query(Long.class).optional()
                .map(id -> new Break(null, null, null, null, id, XIDS_BEHIND, XIDS_BEHIND_DETAIL));
    }

    /**
     * The first checkpoint that is out of its chain, or whose range no longer holds the heads it sealed: a stream
     * removed whole, or its last events, or an event moved to another range.
     */
    private Optional<Break> firstBrokenCheckpoint() {
        return jdbc.sql("""
                        SELECT id, reason
                        FROM (SELECT c.id,
                                     CASE
                                         WHEN c.id <> coalesce(lag(c.id) OVER chain, 0) + 1 THEN 'checkpoint-missing'
                                         WHEN c.xid_from <> coalesce(lag(c.xid_to) OVER chain, 0)
                                             THEN 'checkpoint-missing'
                                         WHEN c.seal <> event_seal_checkpoint_seal(lag(c.seal) OVER chain, c.id,
                                                                                   c.xid_from, c.xid_to, c.events,
                                                                                   c.streams, c.heads_digest)
                                             THEN 'checkpoint-seal-mismatch'
                                         WHEN (h.events, h.streams, h.digest) <> (c.events, c.streams, c.heads_digest)
                                             THEN 'checkpoint-heads-mismatch'
                                     END AS reason
                              FROM event_seal_checkpoint c
                                       CROSS JOIN LATERAL event_seal_heads(c.xid_from, c.xid_to) h
                              WINDOW chain AS (ORDER BY c.id)) checked
                        WHERE reason IS NOT NULL
                        ORDER BY id
                        LIMIT 1""")
                .query((rs, n) -> new Break(null, null, null, null, rs.getLong(1), rs.getString(2),
                        switch (rs.getString(2)) {
                            case "checkpoint-missing" -> "a checkpoint before this one was removed";
                            case "checkpoint-seal-mismatch" -> "the checkpoint row was changed";
                            default -> "the events of the checkpoint's range no longer have the heads it sealed:"
                                    + " a stream or its last events were removed, or events were moved";
                        }))
                .optional();
    }

    private static String format(Timestamp timestamp) {
        return Timestamps.format(timestamp.toInstant());
    }
}
