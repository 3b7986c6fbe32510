package com.bankaccounts.platform.axon;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfigurer.PooledStreamingProcessorConfiguration;

/**
 * The executor of a pooled streaming processor's coordinator, whose short waits {@link #wake()} ends at once (tasks
 * given to {@link #schedule(Runnable, long, TimeUnit)}, the method the coordinator uses, with a delay up to
 * {@code longestWakeableDelay}).
 *
 * <p>When a work package's queue is full, Axon's coordinator stops reading events and looks again 100 ms later
 * ({@code Coordinator.CoordinationTask#run}); nothing wakes it sooner. During a rebuild the work packages emptied their
 * queues in a few tens of milliseconds, then waited for the rest of those 100 ms: about half of a rebuild's time.
 * Waking the coordinator when a work package starts a batch (it has just taken the batch from its queue) keeps the
 * queues filled; so it does for a processor catching up. Its longer waits are left alone: polling for new events
 * (500 ms) woken by every batch would feed each small batch at once, a run of the coordinator per batch under steady
 * load, and backing off after an error (500 ms and more) must not be cut short. A woken task runs once: when its delay
 * ends it does nothing. Running the coordinator early is what Axon does itself when events arrive: it checks its state
 * on every run.
 */
public final class WakeableScheduler extends ScheduledThreadPoolExecutor {

    /** Axon's coordinator waits this long for space in its work packages' queues (Axon 4.13). */
    public static final Duration WAIT_FOR_SPACE = Duration.ofMillis(100);

    private final Queue<Runnable> delayed = new ConcurrentLinkedQueue<>();
    private final long longestWakeableDelayNanos;
    private volatile Thread thread;

    /** One thread: the coordinator's tasks run one at a time, however early they are woken. */
    public WakeableScheduler(ThreadFactory threads, Duration longestWakeableDelay) {
        super(1);
        setThreadFactory(runnable -> thread = threads.newThread(runnable));
        this.longestWakeableDelayNanos = longestWakeableDelay.toNanos();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (delay <= 0 || unit.toNanos(delay) > longestWakeableDelayNanos) {
            return super.schedule(command, delay, unit);
        }
        AtomicBoolean ran = new AtomicBoolean();
        Runnable once = () -> {
            if (ran.compareAndSet(false, true)) {
                command.run();
            }
        };
        delayed.add(once);
        return super.schedule(() -> {
            delayed.remove(once);
            once.run();
        }, delay, unit);
    }

    /**
     * {@code delegate}, waking this coordinator first whenever a transaction starts: a work package starts its batch's
     * transaction right after taking the batch from its queue, so the coordinator can refill it while the batch runs.
     */
    public TransactionManager wakingOnEachTransaction(TransactionManager delegate) {
        return () -> {
            wake();
            return delegate.startTransaction();
        };
    }

    /**
     * For the pooled streaming processor {@code processor}: its coordinator in a {@link WakeableScheduler}, its waits
     * for queue space ended as each of its batches starts (in its own transaction manager).
     */
    public static PooledStreamingProcessorConfiguration wokenByBatches(String processor) {
        return (configuration, builder) -> {
            WakeableScheduler coordinator =
                    new WakeableScheduler(new AxonThreadFactory("Coordinator[" + processor + "]"), WAIT_FOR_SPACE);
            configuration.onShutdown(coordinator::shutdown);
            TransactionManager transactions =
                    configuration.eventProcessingConfiguration().transactionManager(processor);
            return builder.coordinatorExecutor(coordinator)
                    .transactionManager(coordinator.wakingOnEachTransaction(transactions));
        };
    }

    /**
     * Runs every wakeable delayed task now, in this executor's thread. Called in that thread (the coordinator claiming
     * tokens in a transaction) it does nothing: the coordinator does not wake itself.
     */
    public void wake() {
        if (Thread.currentThread() == thread) {
            return;
        }
        for (Runnable task = delayed.poll(); task != null; task = delayed.poll()) {
            execute(task);
        }
    }
}
