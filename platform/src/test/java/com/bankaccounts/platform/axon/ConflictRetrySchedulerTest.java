package com.bankaccounts.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;

class ConflictRetrySchedulerTest {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final ConflictRetryScheduler scheduler = new ConflictRetryScheduler(
            IntervalRetryScheduler.builder().retryExecutor(executor).maxRetryCount(3).retryInterval(1));

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private boolean retries(Object payload, RuntimeException failure) {
        CommandMessage<?> command = GenericCommandMessage.asCommandMessage(payload);
        List<Class<? extends Throwable>[]> failures = new ArrayList<>();
        failures.add(new Class[]{failure.getClass()});
        return scheduler.scheduleRetry(command, failure, failures, () -> { });
    }

    @Test
    void retriesAnAppendThatLostTheRace() {
        assertThat(retries("command", new ConcurrencyException("taken"))).isTrue();
        // As the event store throws it: with the unique key's SQL failure as its cause, which is no conflict itself.
        assertThat(retries("command", new ConcurrencyException("taken",
                new BatchUpdateException("duplicate key value violates unique constraint", "23505", new int[0]))))
                .isTrue();
    }

    @Test
    void retriesATransactionTheDatabaseAbortedToBreakADeadlock() {
        assertThat(retries("command", new IllegalStateException(new CannotAcquireLockException("deadlock")))).isTrue();
    }

    @Test
    void doesNotRetryOtherFailures() {
        assertThat(retries("command", new IllegalArgumentException("no"))).isFalse();
    }
}
