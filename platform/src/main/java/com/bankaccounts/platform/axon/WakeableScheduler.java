package com.bankaccounts.platform.axon;

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
 * The executor of a pooled streaming processor's coordinator, whose delayed tasks {@link #wake()} runs at once
 * ({@link #schedule(Runnable, long, TimeUnit)}, the one the coordinator uses).
 *
 * <p>When a work package's queue is full, Axon's coordinator stops reading events and looks again 100 ms later (a
 * fixed delay, {@code Coordinator.CoordinationTask#run}); nothing wakes it sooner. During a rebuild the work packages
 * empty their queues in a few tens of milliseconds, then wait for the rest of those 100 ms: a third of a rebuild's
 * time went in this wait. Waking the coordinator when a work package starts a batch (its queue has just been emptied)
 * keeps the queues filled; so does catching up on many events. A woken task runs once: when its delay ends later it does nothing. Running a coordinator
 * task early is what Axon itself does when new events arrive; the coordinator checks its state on every run.
 */
public final class WakeableScheduler extends ScheduledThreadPoolExecutor {

    private final Queue<Runnable> delayed = new ConcurrentLinkedQueue<>();
    private volatile Thread thread;

    /** One thread: the coordinator's tasks run one at a time, however early they are woken. */
    public WakeableScheduler(ThreadFactory threads) {
        super(1);
        setThreadFactory(runnable -> thread = threads.newThread(runnable));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (delay <= 0) {
            return super.schedule(command, delay, unit);
        }
        AtomicBoolean ran = new AtomicBoolean();
        Runnable once = () -> {
            if (ran.compareAndSet(false, true)) {
                command.run();
            }
        };
        delayed.add(once);
        ScheduledFuture<?> future = super.schedule(() -> {
            delayed.remove(once);
            once.run();
        }, delay, unit);
        return future;
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
     * For the pooled streaming processor {@code processor}: its coordinator in a {@link WakeableScheduler}, woken as
     * each of its batches starts (in its own transaction manager).
     */
    public static PooledStreamingProcessorConfiguration wokenByBatches(String processor) {
        return (configuration, builder) -> {
            WakeableScheduler coordinator = new WakeableScheduler(new AxonThreadFactory("Coordinator[" + processor + "]"));
            configuration.onShutdown(coordinator::shutdown);
            TransactionManager transactions = configuration.eventProcessingConfiguration().transactionManager(processor);
            return builder.coordinatorExecutor(coordinator)
                    .transactionManager(coordinator.wakingOnEachTransaction(transactions));
        };
    }

    /**
     * Runs every delayed task now, in this executor's thread. Called in that thread (the coordinator claiming tokens
     * in a transaction) it does nothing: the coordinator does not wake itself.
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
