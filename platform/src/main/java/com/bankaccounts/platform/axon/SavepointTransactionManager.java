package com.bankaccounts.platform.axon;

import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/**
 * The command bus's transactions: a transaction of its own, as before, when none is open; inside an enclosing one (an
 * idempotent request's, which stores the answer with the effect) a savepoint, so that a refused or failed command
 * undoes only its own writes and leaves the enclosing transaction usable (PostgreSQL aborts the whole transaction on a
 * failed statement otherwise). Axon's adapter ends only transactions it began itself, never a savepoint; this one ends
 * both.
 */
public class SavepointTransactionManager extends SpringTransactionManager {

    private final PlatformTransactionManager transactionManager;

    public SavepointTransactionManager(PlatformTransactionManager transactionManager) {
        super(transactionManager, new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_NESTED));
        this.transactionManager = transactionManager;
    }

    @Override
    protected void commitTransaction(TransactionStatus status) {
        if (!status.isCompleted()) {
            transactionManager.commit(status);
        }
    }

    @Override
    protected void rollbackTransaction(TransactionStatus status) {
        if (!status.isCompleted()) {
            transactionManager.rollback(status);
        }
    }
}
