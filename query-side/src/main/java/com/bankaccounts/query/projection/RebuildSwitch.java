package com.bankaccounts.query.projection;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Puts a caught-up rebuild in place of the live read model, in one transaction, losing no event:
 * <ol>
 * <li>lock the copies (the rebuild's batch in flight, on any node, finishes first) and then the rebuild's token
 *     rows, so its progress cannot move;</li>
 * <li>lock the live tables: live writers in flight finish first and their events are then visible; later ones wait,
 *     and write into the swapped-in tables when they go on (their events are not committed yet, so they are not
 *     applied here, and not lost);</li>
 * <li>apply what the rebuild has not yet seen, from its token on, gaps included (Axon's gap-aware token: an event
 *     whose transaction was still in flight when the rebuild passed it), to the copies;</li>
 * <li>swap the tables, delete the rebuild's tokens (it is over, on every node), and record the result.</li>
 * </ol>
 * Readers of the live tables wait for the switch (a few hundred events at most), and then read the rebuilt tables.
 * <p>
 * With Axon Server as the event store there is no storage engine to read from in this transaction: step 3 reads
 * Axon Server's stream up to its head instead. Step 2 holds there too: Axon commits a command's database
 * transaction only after Axon Server took its events.
 */
class RebuildSwitch {

    private static final Logger log = LoggerFactory.getLogger(RebuildSwitch.class);

    private final JdbcClient jdbc;
    private final TokenRows tokenRows;
    /** Null with Axon Server. */
    private final EventStorageEngine storageEngine;
    private final EventStore eventStore;
    private final Configuration axon;
    private final TransactionTemplate transactions;

    RebuildSwitch(JdbcClient jdbc, TokenRows tokenRows, EventStorageEngine storageEngine, EventStore eventStore,
                  Configuration axon, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.tokenRows = tokenRows;
        this.storageEngine = storageEngine;
        this.eventStore = eventStore;
        this.axon = axon;
        this.transactions = transactions;
    }

    /** Answers whether the projection now serves its rebuilt tables (false: another node is switching, or did). */
    boolean trySwitch(String name, Object projection, ShadowTables shadow) {
        Boolean switched;
        try {
            switched = transactions.execute(status -> switchIn(name, projection, shadow));
        } catch (RuntimeException e) {
            if (!busy(e)) {
                throw e;
            }
            // Rolled back, nothing changed, and no fault of the rebuild (not its replayError): a later tick tries again.
            log.info("Rebuild of projection {} waits to be switched in, a table is busy: {}", name, e.toString());
            return false;
        }
        if (Boolean.TRUE.equals(switched)) {
            // Counted once the live tables are free again: the rebuild went through every event stored until now.
            if (storageEngine != null) {
                jdbc.sql("""
                                UPDATE projection_rebuild SET replayed_events = (SELECT COUNT(*) FROM domain_event_entry)
                                WHERE projection_name = ?""")
                        .param(name).update();
            } else {
                // Axon Server numbers its events from 0 without gaps.
                jdbc.sql("UPDATE projection_rebuild SET replayed_events = ? WHERE projection_name = ?")
                        .params(headPosition() + 1, name).update();
            }
        }
        return Boolean.TRUE.equals(switched);
    }

    /**
     * A table held past the lock timeout ({@code 55P03}, which Spring leaves uncategorized), or a deadlock with a
     * writer ({@code 40P01}).
     */
    private static boolean busy(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof PessimisticLockingFailureException || cause instanceof SQLException sql
                    && ("55P03".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** The switch, in its transaction: false when there is nothing (or not yet anything) to switch in. */
    private boolean switchIn(String name, Object projection, ShadowTables shadow) {
        if (!jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtext(?))").param("projection-rebuild:" + name)
                .query(Boolean.class).single()) {
            return false;
        }
        String processorName = name + ProjectionRebuilds.SUFFIX;
        if (tokenRows.of(processorName).isEmpty()) {
            return false;
        }
        // Asked again here: a tick decides on a hold it read before this rebuild may have started.
        if (jdbc.sql("SELECT switch_held FROM projection_rebuild WHERE projection_name = ?").param(name)
                .query(Boolean.class).optional().orElse(false)) {
            return false;
        }
        shadow.useInThisTransaction();
        // A long transaction on a live table would keep its readers waiting behind this switch: give up instead,
        // and try again on a later tick.
        jdbc.sql("SET LOCAL lock_timeout = '2s'").update();
        shadow.lock();
        List<TrackingToken> tokens = tokenRows.lock(processorName);
        if (tokens.isEmpty()) {
            return false;
        }
        shadow.lockLive();
        if (!shadow.sameColumnsAsLive()) {
            // The rebuild cannot be switched in, and would never end: end it, and say why.
            shadow.drop();
            tokenRows.delete(processorName);
            jdbc.sql("""
                            UPDATE projection_rebuild SET finished_at = ?, error = 'LiveTablesChanged'
                            WHERE projection_name = ?""")
                    .params(Timestamp.from(Instant.now()), name).update();
            log.warn("Rebuild of projection {} abandoned: its live tables changed while it ran", name);
            return false;
        }
        long applied = applyRest(projection, TokenRows.lowerBound(tokens));
        shadow.swap();
        tokenRows.delete(processorName);
        jdbc.sql("UPDATE projection_rebuild SET finished_at = ?, error = NULL WHERE projection_name = ?")
                .params(Timestamp.from(Instant.now()), name).update();
        log.info("Rebuild of projection {} switched in, the last {} events applied at the switch", name, applied);
        return true;
    }

    private long applyRest(Object projection, TrackingToken from) {
        AnnotationEventHandlerAdapter handler = new AnnotationEventHandlerAdapter(projection,
                axon.parameterResolverFactory(), axon.handlerDefinition(projection.getClass()));
        if (storageEngine == null) {
            return applyRestFromStream(handler, from);
        }
        long applied = 0;
        try (Stream<? extends TrackedEventMessage<?>> events = storageEngine.readEvents(from, false)) {
            Iterator<? extends TrackedEventMessage<?>> iterator = events.iterator();
            while (iterator.hasNext()) {
                TrackedEventMessage<?> event = iterator.next();
                if (handler.canHandle(event)) {
                    handle(handler, event);
                }
                applied++;
            }
        }
        return applied;
    }

    /**
     * Up to the head as it is now; a second without an event also ends it (Axon Server leaves out events of types no
     * handler here takes, so the head itself may never arrive).
     */
    private long applyRestFromStream(AnnotationEventHandlerAdapter handler, TrackingToken from) {
        long head = headPosition();
        long applied = 0;
        if (head < 0 || from != null && from.position().orElse(-1) >= head) {
            return applied;
        }
        try (BlockingStream<TrackedEventMessage<?>> events = eventStore.openStream(from)) {
            while (events.hasNextAvailable(1, TimeUnit.SECONDS)) {
                TrackedEventMessage<?> event = events.nextAvailable();
                if (handler.canHandle(event)) {
                    handle(handler, event);
                }
                applied++;
                if (event.trackingToken().position().orElse(-1) >= head) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying the rest of a rebuild", e);
        }
        return applied;
    }

    private long headPosition() {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }

    private static void handle(AnnotationEventHandlerAdapter handler, TrackedEventMessage<?> event) {
        try {
            handler.handle(event);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
