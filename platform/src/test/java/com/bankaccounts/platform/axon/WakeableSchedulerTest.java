package com.bankaccounts.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A woken delayed task runs at once in the scheduler's thread, and only once; the scheduler's own thread cannot wake
 * it, nor can anything wake a task delayed longer than the scheduler's wakeable delay.
 */
class WakeableSchedulerTest {

    private final WakeableScheduler scheduler =
            new WakeableScheduler(runnable -> new Thread(runnable, "coordinator"), Duration.ofHours(1));

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** Waits until the scheduler has run every task given to it to run now (it runs them in order). */
    private void runQueuedTasks() throws Exception {
        scheduler.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void wakeRunsADelayedTaskNowAndItsDelayEndingRunsItNoMore() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        RunnableScheduledFuture<?> delayed = (RunnableScheduledFuture<?>) scheduler.schedule(() -> {
            runs.incrementAndGet();
            thread.set(Thread.currentThread().getName());
            ran.countDown();
        }, 1, TimeUnit.HOURS);

        scheduler.wake();

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(thread.get()).isEqualTo("coordinator");
        delayed.run(); // what the executor does when the hour is up
        scheduler.wake();
        runQueuedTasks();
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void aTaskInTheSchedulersOwnThreadDoesNotWakeItsDelayedTasks() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        scheduler.schedule(() -> { runs.incrementAndGet(); }, 1, TimeUnit.HOURS);

        scheduler.submit(scheduler::wake).get(10, TimeUnit.SECONDS);
        runQueuedTasks();

        assertThat(runs.get()).isZero();
        scheduler.wake();
        runQueuedTasks();
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void aTaskDelayedLongerThanTheWakeableDelayIsNotWoken() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        scheduler.schedule(() -> { runs.incrementAndGet(); }, 2, TimeUnit.HOURS);

        scheduler.wake();
        runQueuedTasks();

        assertThat(runs.get()).isZero();
    }

    @Test
    void undelayedTasksRunAsUsual() throws Exception {
        assertThat(scheduler.submit(() -> "ran").get(10, TimeUnit.SECONDS)).isEqualTo("ran");
        assertThat(scheduler.schedule(() -> "ran", 0, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS))
                .isEqualTo("ran");
    }
}
