package com.bankaccounts.query.projection;

import com.bankaccounts.platform.axon.WakeableScheduler;
import java.sql.Timestamp;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's instance of one projection's rebuild processor: Axon's pooled streaming processor over the projection's
 * own handlers, with {@link ProjectionRebuilds#SEGMENTS} segments whose tokens are the rebuild's progress. Built afresh each time it
 * starts, for one rebuild (known by its {@code started_at}): it sees that rebuild's tokens only, and its failures are
 * that rebuild's.
 */
final class RebuildProcessor {

    private static final Logger log = LoggerFactory.getLogger(RebuildProcessor.class);
    private static final int BATCH_SIZE = 500;

    private final String name;
    private final Object projection;
    private final EventStore eventStore;
    private final Configuration axon;
    private final Function<Timestamp, TokenStore> tokenStore;
    private final TransactionManager transactionManager;
    private final BiConsumer<Timestamp, Throwable> onError;
    private PooledStreamingEventProcessor processor;
    private Timestamp rebuild;
    private WakeableScheduler coordinator;
    private ScheduledExecutorService workers;

    RebuildProcessor(String name, Object projection, EventStore eventStore, Configuration axon,
                     Function<Timestamp, TokenStore> tokenStore, TransactionManager transactionManager,
                     BiConsumer<Timestamp, Throwable> onError) {
        this.name = name;
        this.projection = projection;
        this.eventStore = eventStore;
        this.axon = axon;
        this.tokenStore = tokenStore;
        this.transactionManager = transactionManager;
        this.onError = onError;
    }

    /** Runs the rebuild started at {@code rebuild} on this node (after stopping a run for an earlier one). */
    synchronized void start(Timestamp rebuild) {
        if (processor != null && Objects.equals(this.rebuild, rebuild)) {
            return;
        }
        stop();
        this.rebuild = rebuild;
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
        coordinator = new WakeableScheduler(threads, WakeableScheduler.WAIT_FOR_SPACE);
        workers = Executors.newScheduledThreadPool(ProjectionRebuilds.SEGMENTS, threads);
        processor = PooledStreamingEventProcessor.builder()
                .name(name)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                        .eventHandlers(projection)
                        .parameterResolverFactory(axon.parameterResolverFactory())
                        .handlerDefinition(axon.handlerDefinition(projection.getClass()))
                        // A handler that fails stops the batch (retried later), never skips an event.
                        .listenerInvocationErrorHandler(PropagatingErrorHandler.INSTANCE)
                        .build())
                .errorHandler(context -> {
                    onError.accept(rebuild, context.error());
                    PropagatingErrorHandler.INSTANCE.handleError(context);
                })
                .messageSource(eventStore)
                .tokenStore(tokenStore.apply(rebuild))
                .transactionManager(coordinator.wakingOnEachTransaction(transactionManager))
                .coordinatorExecutor(coordinator)
                .workerExecutor(workers)
                .initialSegmentCount(ProjectionRebuilds.SEGMENTS)
                .batchSize(BATCH_SIZE)
                .tokenClaimInterval(1_000)
                .build();
        processor.start();
        log.debug("Started {} on this node", name);
    }

    synchronized void stop() {
        if (processor == null) {
            return;
        }
        try {
            processor.shutdownAsync().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("{} did not stop cleanly: {}", name, e.toString());
        } finally {
            coordinator.shutdownNow();
            workers.shutdownNow();
            processor = null;
            coordinator = null;
            workers = null;
            rebuild = null;
        }
    }
}
