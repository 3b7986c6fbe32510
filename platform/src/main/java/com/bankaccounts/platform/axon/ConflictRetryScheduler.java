package com.bankaccounts.platform.axon;

import java.util.List;
import java.util.function.Predicate;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.dao.PessimisticLockingFailureException;

/**
 * Retries a command that lost a race: another node appended to the same aggregate first, or the database broke a
 * deadlock by aborting this transaction. Business rejections and everything else fail at once. Commands that talk
 * to a third party on the way (listed by the caller) are never retried, since repeating them would repeat that call.
 */
public class ConflictRetryScheduler implements RetryScheduler {

    private final RetryScheduler delegate;
    private final Predicate<CommandMessage<?>> retryable;

    public ConflictRetryScheduler(IntervalRetryScheduler.Builder builder, Predicate<CommandMessage<?>> retryable) {
        this.delegate = builder.nonTransientFailurePredicate(failure -> !isConflict(failure)).build();
        this.retryable = retryable;
    }

    @Override
    public boolean scheduleRetry(CommandMessage commandMessage, RuntimeException lastFailure,
                                 List<Class<? extends Throwable>[]> failures, Runnable commandDispatch) {
        return retryable.test(commandMessage)
                && delegate.scheduleRetry(commandMessage, lastFailure, failures, commandDispatch);
    }

    static boolean isConflict(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConcurrencyException || cause instanceof PessimisticLockingFailureException) {
                return true;
            }
        }
        return false;
    }
}
