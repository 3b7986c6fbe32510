package com.bankaccounts.query.projection;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds a read model from the event store while the service keeps serving.
 * <p>
 * A projection running as a streaming processor (a query-side process on its own) is rebuilt the Axon way: its
 * tokens are reset. In the assembly the projections are subscribing (they write in the command's transaction), so
 * the rebuild clears the tables and feeds the whole event stream to the projection in batches, beside the live
 * updates; both are idempotent by aggregate version, so the result is the same whichever comes first. The stream is
 * followed until it has been quiet for a moment, which lets transactions in flight at the head commit and be read.
 */
@Component
public class ProjectionReplayer implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ProjectionReplayer.class);
    private static final int BATCH_SIZE = 500;
    private static final long QUIET_MILLIS = 1_000;

    private final Map<String, ReplayableProjection> projections = new LinkedHashMap<>();
    private final EventStore eventStore;
    private final EventProcessingConfiguration processing;
    private final TransactionTemplate transactions;
    private final JdbcClient jdbc;
    private final boolean postgres;
    private final Map<String, Replay> replays = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "projection-replay");
        thread.setDaemon(true);
        return thread;
    });

    public ProjectionReplayer(List<ReplayableProjection> projections, EventStore eventStore,
                              EventProcessingConfiguration processing, TransactionTemplate transactions,
                              JdbcClient jdbc, @Value("${spring.datasource.url:}") String datasourceUrl) {
        for (ReplayableProjection projection : projections) {
            ProcessingGroup group = AnnotatedElementUtils.findMergedAnnotation(ClassUtils.getUserClass(projection),
                    ProcessingGroup.class);
            this.projections.put(group.value(), projection);
        }
        this.eventStore = eventStore;
        this.processing = processing;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.postgres = datasourceUrl.startsWith("jdbc:postgresql:");
    }

    /** What the admin sees of a projection. {@code position} is the global index it has applied up to. */
    public record ProjectionStatus(String name, String mode, boolean replaying, long position, long head,
                                   Long replayedEvents, String replayStartedAt, String replayFinishedAt,
                                   String replayError) {
    }

    private static final class Replay {
        final Instant startedAt = Instant.now();
        volatile long position;
        volatile long events;
        volatile Instant finishedAt;
        volatile String error;

        boolean running() {
            return finishedAt == null;
        }
    }

    public List<ProjectionStatus> statuses() {
        return projections.keySet().stream().map(this::status).toList();
    }

    public ProjectionStatus status(String name) {
        requireKnown(name);
        long head = position(eventStore.createHeadToken());
        Optional<StreamingEventProcessor> streaming = streaming(name);
        if (streaming.isPresent()) {
            Map<Integer, EventTrackerStatus> segments = streaming.get().processingStatus();
            // Axon keeps a segment "replaying" until an event past the reset point arrives; caught up is done.
            boolean replaying = segments.values().stream().anyMatch(status -> status.isReplaying()
                    && status.getCurrentPosition().orElse(0L) < head);
            long position = segments.values().stream()
                    .mapToLong(status -> status.getCurrentPosition().orElse(0L)).min().orElse(0L);
            return new ProjectionStatus(name, "streaming", replaying, position, head, null, null, null, null);
        }
        Replay replay = replays.get(name);
        if (replay == null) {
            return new ProjectionStatus(name, "subscribing", false, head, head, null, null, null, null);
        }
        return new ProjectionStatus(name, "subscribing", replay.running(), replay.running() ? replay.position : head,
                head, replay.events, Timestamps.format(replay.startedAt), Timestamps.format(replay.finishedAt),
                replay.error);
    }

    public ProjectionStatus replay(String name) {
        ReplayableProjection projection = requireKnown(name);
        Optional<StreamingEventProcessor> streaming = streaming(name);
        if (streaming.isPresent()) {
            StreamingEventProcessor processor = streaming.get();
            if (processor.processingStatus().values().stream().anyMatch(EventTrackerStatus::isReplaying)) {
                throw new BusinessRuleException(ErrorCode.REPLAY_IN_PROGRESS);
            }
            processor.shutDown();
            try {
                processor.resetTokens();
            } finally {
                processor.start();
            }
            return status(name);
        }
        Replay replay = new Replay();
        Replay current = replays.compute(name, (key, previous) ->
                previous != null && previous.running() ? previous : replay);
        if (current != replay) {
            throw new BusinessRuleException(ErrorCode.REPLAY_IN_PROGRESS);
        }
        executor.submit(() -> run(name, projection, replay));
        return status(name);
    }

    private void run(String name, ReplayableProjection projection, Replay replay) {
        AnnotationEventHandlerAdapter handler = new AnnotationEventHandlerAdapter(projection,
                ClasspathParameterResolverFactory.forClass(projection.getClass()));
        try {
            transactions.executeWithoutResult(status -> handler.prepareReset());
            try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(null)) {
                long quietSince = System.currentTimeMillis();
                while (System.currentTimeMillis() - quietSince < QUIET_MILLIS) {
                    List<TrackedEventMessage<?>> batch = new ArrayList<>(BATCH_SIZE);
                    while (batch.size() < BATCH_SIZE && stream.hasNextAvailable(batch.isEmpty() ? 200 : 0,
                            TimeUnit.MILLISECONDS)) {
                        batch.add(stream.nextAvailable());
                    }
                    if (batch.isEmpty()) {
                        continue;
                    }
                    transactions.executeWithoutResult(status -> {
                        if (postgres) {
                            // The tables start empty, so a generic plan cached on this connection would keep
                            // scanning them whole as they grow back: plan each statement for the table it meets.
                            jdbc.sql("SET LOCAL plan_cache_mode = force_custom_plan").update();
                        }
                        for (TrackedEventMessage<?> event : batch) {
                            if (handler.canHandle(event)) {
                                handleUnchecked(handler, event);
                            }
                        }
                    });
                    replay.events += batch.size();
                    replay.position = position(batch.get(batch.size() - 1).trackingToken());
                    quietSince = System.currentTimeMillis();
                }
            }
            log.info("Replayed projection {}: {} events", name, replay.events);
        } catch (Exception e) {
            log.error("Replay of projection {} failed", name, e);
            replay.error = e.getClass().getSimpleName();
        } finally {
            replay.finishedAt = Instant.now();
        }
    }

    private static void handleUnchecked(AnnotationEventHandlerAdapter handler, TrackedEventMessage<?> event) {
        try {
            handler.handle(event);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ReplayableProjection requireKnown(String name) {
        ReplayableProjection projection = projections.get(name);
        if (projection == null) {
            throw new NotFoundException(ErrorCode.PROJECTION_NOT_FOUND);
        }
        return projection;
    }

    private Optional<StreamingEventProcessor> streaming(String name) {
        return processing.eventProcessorByProcessingGroup(name, StreamingEventProcessor.class);
    }

    private static long position(TrackingToken token) {
        return token == null ? 0L : token.position().orElse(0L);
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
