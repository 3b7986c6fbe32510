package com.bankaccounts.query.projection;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.Timestamps;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import javax.sql.DataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ClassUtils;

/**
 * Rebuilds read models from the event store while the live ones keep serving complete reads, the same way in the
 * assembly and in a query-side process on its own, from any node.
 * <p>
 * A rebuild of projection X is an Axon pooled streaming processor, {@code X-rebuild}, running X's own handlers into
 * copies of X's tables built aside ({@link ShadowTables}). Its tokens in {@code token_entry} are the rebuild's whole
 * state: a token row means a rebuild runs and its position is the progress, so every node sees it, and every node
 * runs the processor while the rows exist (one claims the segment; another takes over if it dies). Starting a
 * rebuild creates the rows, which the database lets happen only once. When the rebuild is near the head,
 * {@link RebuildSwitch} puts the copies in place of the live tables in one transaction.
 */
@Component
public class ProjectionRebuilds implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilds.class);
    static final String SUFFIX = "-rebuild";
    /**
     * A rebuild processor's segments, each a token row. A segment's worker alternates between its handlers (the JVM)
     * and its batch's statements (PostgreSQL); with two, one's statements run while the other's handlers do. Safe
     * because every projection writes only rows of the aggregate whose events it handles, and Axon keeps each
     * aggregate's events on one segment, in order.
     */
    public static final int SEGMENTS = 2;
    private static final long TICK_MILLIS = 250;
    /** Events a rebuild may still be behind when it switches: applied while the live tables are locked. */
    private static final long SWITCH_LAG = 200;

    private final Map<String, RebuildProcessor> rebuilds = new LinkedHashMap<>();
    private final Map<String, ShadowTables> shadows = new LinkedHashMap<>();
    private final Map<String, ReplayableProjection> projections = new LinkedHashMap<>();
    private final EventStore eventStore;
    private final EventProcessingConfiguration processing;
    private final TokenStore tokenStore;
    private final TokenRows tokenRows;
    private final RebuildSwitch rebuildSwitch;
    private final TransactionTemplate transactions;
    private final TransactionTemplate ownTransactions;
    private final JdbcClient jdbc;
    private ScheduledExecutorService ticker;

    public ProjectionRebuilds(List<ReplayableProjection> projections, EventStore eventStore,
                              ObjectProvider<EventStorageEngine> storageEngine, EventProcessingConfiguration processing,
                              Configuration axon, TokenStore tokenStore, TransactionManager axonTransactions,
                              PlatformTransactionManager transactionManager, JdbcClient jdbc,
                              @Qualifier("serializer") Serializer serializer, DataSource dataSource) {
        this.eventStore = eventStore;
        this.processing = processing;
        this.tokenStore = tokenStore;
        this.tokenRows = new TokenRows(jdbc, serializer);
        this.transactions = new TransactionTemplate(transactionManager);
        this.ownTransactions = new TransactionTemplate(transactionManager);
        this.ownTransactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.jdbc = jdbc;
        // No storage engine with Axon Server as the event store.
        this.rebuildSwitch = new RebuildSwitch(jdbc, tokenRows, storageEngine.getIfAvailable(), eventStore, axon,
                transactions);
        for (ReplayableProjection projection : projections) {
            String name = AnnotatedElementUtils.findMergedAnnotation(ClassUtils.getUserClass(projection),
                    ProcessingGroup.class).value();
            ShadowTables shadow = new ShadowTables(jdbc, name);
            shadows.put(name, shadow);
            this.projections.put(name, projection);
            rebuilds.put(name, new RebuildProcessor(name + SUFFIX, projection, eventStore, axon,
                    rebuild -> new ExistingTokensOnly(tokenStore, jdbc, name, rebuild),
                    new ShadowTransactionManager(axonTransactions, shadow, dataSource),
                    (rebuild, error) -> recordError(name, rebuild, error)));
        }
    }

    public List<ProjectionStatus> statuses() {
        return rebuilds.keySet().stream().map(this::status).toList();
    }

    public ProjectionStatus status(String name) {
        requireKnown(name);
        long head = head();
        boolean streaming = processing.eventProcessorByProcessingGroup(name, StreamingEventProcessor.class)
                .isPresent();
        long position = streaming ? TokenRows.position(tokenRows.of(name)) : head;
        List<TrackingToken> rebuild = tokenRows.of(name + SUFFIX);
        boolean replaying = !rebuild.isEmpty();
        Optional<Map<String, Object>> last = jdbc.sql("""
                        SELECT started_at, finished_at, replayed_events, error
                        FROM projection_rebuild WHERE projection_name = ?""")
                .param(name).query().listOfRows().stream().findFirst();
        return new ProjectionStatus(name, streaming ? "streaming" : "subscribing", replaying, position, head,
                replaying ? TokenRows.position(rebuild) : null,
                last.map(row -> (Long) row.get("replayed_events")).orElse(null),
                last.map(row -> format(row.get("started_at"))).orElse(null),
                last.map(row -> format(row.get("finished_at"))).orElse(null),
                last.map(row -> (String) row.get("error")).orElse(null));
    }

    /** Starts rebuilding a projection; refused while one runs (anywhere: its token rows exist). */
    public ProjectionStatus replay(String name) {
        requireKnown(name);
        // Microseconds, as PostgreSQL keeps it: this value is the rebuild's identity for its processors.
        Timestamp startedAt = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS));
        try {
            transactions.executeWithoutResult(status -> {
                // First, so that a second request (on any node) fails here, before touching the copies.
                tokenStore.initializeTokenSegments(name + SUFFIX, SEGMENTS, null);
                shadows.get(name).create();
                jdbc.sql("""
                                INSERT INTO projection_rebuild (projection_name, started_at) VALUES (?, ?)
                                ON CONFLICT (projection_name) DO UPDATE SET started_at = EXCLUDED.started_at,
                                    finished_at = NULL, replayed_events = NULL, error = NULL""")
                        .params(name, startedAt).update();
            });
        } catch (UnableToClaimTokenException e) {
            throw new BusinessRuleException(ErrorCode.REPLAY_IN_PROGRESS);
        } catch (RuntimeException e) {
            if (!tokenRows.of(name + SUFFIX).isEmpty()) {
                throw new BusinessRuleException(ErrorCode.REPLAY_IN_PROGRESS);
            }
            throw e;
        }
        log.info("Rebuild of projection {} started", name);
        rebuilds.get(name).start(startedAt);
        return status(name);
    }

    /**
     * Holds (or lets go) the switch of a projection's rebuild, on every node: the rebuild goes on following the
     * stream into its copies, and the live tables keep serving. For tests, and for looking at the copies before they
     * go live.
     */
    public void holdSwitch(String name, boolean hold) {
        requireKnown(name);
        jdbc.sql("""
                        INSERT INTO projection_rebuild (projection_name, switch_held) VALUES (?, ?)
                        ON CONFLICT (projection_name) DO UPDATE SET switch_held = EXCLUDED.switch_held""")
                .params(name, hold).update();
    }

    /**
     * Every node, a few times a second: runs the rebuilds that exist, and switches those that have caught up. One
     * query when none runs.
     */
    void tick() {
        Map<String, RunningRebuild> running = runningRebuilds();
        long head = running.isEmpty() ? 0L : head();
        for (Map.Entry<String, RebuildProcessor> entry : rebuilds.entrySet()) {
            String name = entry.getKey();
            RebuildProcessor processor = entry.getValue();
            RunningRebuild rebuild = running.get(name);
            if (rebuild == null) {
                processor.stop();
                continue;
            }
            try {
                List<TrackingToken> tokens = tokenRows.of(name + SUFFIX);
                if (tokens.isEmpty()) {
                    processor.stop();
                } else if (TokenRows.position(tokens) >= head - SWITCH_LAG && !rebuild.held()) {
                    // Its batches would only wait for the switch's locks; another node's may, and are rolled back.
                    processor.stop();
                    if (!rebuildSwitch.trySwitch(name, projections.get(name), shadows.get(name))) {
                        processor.start(rebuild.startedAt());
                    }
                } else {
                    processor.start(rebuild.startedAt());
                }
            } catch (RuntimeException e) {
                log.warn("Rebuild of projection {}: {}", name, e.toString());
                recordError(name, rebuild.startedAt(), e);
            }
        }
    }

    private record RunningRebuild(Timestamp startedAt, boolean held) {
    }

    /** Every rebuild that runs now, anywhere, by projection: {@link #running(String)} for all of them at once. */
    private Map<String, RunningRebuild> runningRebuilds() {
        Map<String, RunningRebuild> running = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT r.projection_name, r.started_at, r.switch_held FROM projection_rebuild r
                        WHERE r.started_at IS NOT NULL AND r.finished_at IS NULL
                          AND EXISTS (SELECT 1 FROM token_entry t WHERE t.processor_name = r.projection_name || ?)""")
                .param(SUFFIX).query(rs -> {
                    running.put(rs.getString("projection_name"),
                            new RunningRebuild(rs.getTimestamp("started_at"), rs.getBoolean("switch_held")));
                });
        return running;
    }

    /**
     * The rebuild of a projection that runs now, anywhere, by its {@code started_at}: one statement, so that its token
     * rows and its row here are seen as one (the start and the switch change both in one transaction).
     */
    Optional<Timestamp> running(String name) {
        return jdbc.sql("""
                        SELECT r.started_at FROM projection_rebuild r
                        WHERE r.projection_name = ? AND r.started_at IS NOT NULL AND r.finished_at IS NULL
                          AND EXISTS (SELECT 1 FROM token_entry t WHERE t.processor_name = ?)""")
                .params(name, name + SUFFIX).query(Timestamp.class).optional();
    }

    /**
     * Records a failure of the rebuild started at {@code rebuild}, if it still runs: a node may see its processor fail
     * after that rebuild was switched in or abandoned (its tokens are gone, or a newer rebuild's are there), which is
     * no error of any rebuild. Nor is a lost claim: another node carries the rebuild on.
     */
    void recordError(String name, Timestamp rebuild, Throwable error) {
        if (lostClaim(error)) {
            log.debug("Rebuild of projection {} (started {}) goes on without this node: {}", name, rebuild,
                    error.toString());
            return;
        }
        try {
            Integer recorded = ownTransactions.execute(status -> jdbc.sql("""
                            UPDATE projection_rebuild SET error = ?
                            WHERE projection_name = ? AND started_at = ? AND finished_at IS NULL
                              AND EXISTS (SELECT 1 FROM token_entry t WHERE t.processor_name = ?)""")
                    .params(error.getClass().getSimpleName(), name, rebuild, name + SUFFIX).update());
            if (recorded == null || recorded == 0) {
                log.info("Rebuild of projection {} (started {}) is over; this node's processor stops: {}", name,
                        rebuild, error.toString());
            }
        } catch (RuntimeException e) {
            log.warn("Could not record the failure of projection {}'s rebuild", name, e);
        }
    }

    private static boolean lostClaim(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnableToClaimTokenException) {
                return true;
            }
        }
        return false;
    }

    private long head() {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? 0L : head.position().orElse(0L);
    }

    private void requireKnown(String name) {
        if (!rebuilds.containsKey(name)) {
            throw new NotFoundException(ErrorCode.PROJECTION_NOT_FOUND);
        }
    }

    private static String format(Object timestamp) {
        return timestamp == null ? null : Timestamps.format(((Timestamp) timestamp).toInstant());
    }

    @Override
    public synchronized void start() {
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "projection-rebuilds");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                // A failed tick must not end the schedule (the database may be back on the next).
                log.warn("Projection rebuilds: {}", e.toString());
            }
        }, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
            try {
                ticker.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ticker = null;
        }
        rebuilds.values().forEach(RebuildProcessor::stop);
    }

    @Override
    public synchronized boolean isRunning() {
        return ticker != null;
    }
}
