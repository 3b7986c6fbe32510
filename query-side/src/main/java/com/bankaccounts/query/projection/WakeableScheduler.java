package com.bankaccounts.query.projection;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The executor of a pooled streaming processor's coordinator, whose delayed tasks {@link #wake()} runs at once.
 *
 * <p>When a work package's queue is full, Axon's coordinator stops reading events and looks again 100 ms later (a
 * fixed delay, {@code Coordinator.CoordinationTask#run}); nothing wakes it sooner. During a rebuild the work packages
 * empty their queues in a few tens of milliseconds, then wait for the rest of those 100 ms: a third of a rebuild's
 * time went in this wait. Waking the coordinator when a work package starts a batch (its queue has just been emptied)
 * keeps the queues filled. A woken task runs once: when its delay ends later it does nothing. Running a coordinator
 * task early is what Axon itself does when new events arrive; the coordinator checks its state on every run.
 */
final class WakeableScheduler extends ScheduledThreadPoolExecutor {

    private final Queue<Runnable> delayed = new ConcurrentLinkedQueue<>();
    private volatile Thread thread;

    /** One thread: the coordinator's tasks run one at a time, however early they are woken. */
    WakeableScheduler(ThreadFactory threads) {
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
     * Runs every delayed task now, in this executor's thread. Called in that thread (the coordinator claiming tokens
     * in a transaction) it does nothing: the coordinator does not wake itself.
     */
    void wake() {
        if (Thread.currentThread() == thread) {
            return;
        }
        for (Runnable task = delayed.poll(); task != null; task = delayed.poll()) {
            execute(task);
        }
    }
}
