package com.bankaccounts.platform.axon;

import java.util.List;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Retries a command that lost a race: another node appended to the same aggregate first, or the database broke a
 * deadlock by aborting this transaction. Business rejections and everything else fail at once. (No command calls a
 * third party, so repeating one repeats only its own transaction.) A command sent inside an enclosing transaction (an
 * idempotent request's) is not retried: a retry would run on another thread, outside that transaction; the conflict
 * is answered instead (409, which the client may retry with the same key). With Axon Server the answer arrives on
 * one of its threads, where no transaction is seen, so such a command is retried; there its handler never ran in the
 * caller's transaction anyway.
 */
public class ConflictRetryScheduler implements RetryScheduler {

    private final RetryScheduler delegate;

    public ConflictRetryScheduler(IntervalRetryScheduler.Builder builder) {
        // Axon asks its predicate of the failure and of each of its causes, and gives up on the first it calls
        // non-transient: a conflict's SQL cause (the unique key's BatchUpdateException) would stop every retry. So
        // the decision is taken here, once, on the whole chain, and what reaches Axon's scheduler is always retried.
        this.delegate = builder.nonTransientFailurePredicate(failure -> false).build();
    }

    @Override
    public boolean scheduleRetry(CommandMessage commandMessage, RuntimeException lastFailure,
                                 List<Class<? extends Throwable>[]> failures, Runnable commandDispatch) {
        if (!isConflict(lastFailure) || TransactionSynchronizationManager.isActualTransactionActive()) {
            return false;
        }
        return delegate.scheduleRetry(commandMessage, lastFailure, failures, commandDispatch);
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
