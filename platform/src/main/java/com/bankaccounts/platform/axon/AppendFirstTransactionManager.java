package com.bankaccounts.platform.axon;

import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * With Axon Server, a command's events are appended there while its database transaction (registries, read models
 * written by subscribing handlers) is a separate one. Axon commits the database transaction first (it is attached
 * when the unit of work starts) and the append after it, so an append that Axon Server refuses, such as a
 * concurrent change of the same aggregate from another node, would leave the database writes committed for events
 * that were never stored. This commits the database transaction last instead, at the end of the commit phase: a
 * refused append rolls it back. What remains is the reverse, narrower window: the append succeeded and the database
 * commit then failed (the command answers an error; the events stand without their registry and read-model rows).
 */
public final class AppendFirstTransactionManager implements TransactionManager {

    private final TransactionManager delegate;

    public AppendFirstTransactionManager(TransactionManager delegate) {
        this.delegate = delegate;
    }

    @Override
    public Transaction startTransaction() {
        Transaction transaction = delegate.startTransaction();
        return new Transaction() {
            @Override
            public void commit() {
                if (CurrentUnitOfWork.isStarted()) {
                    // Queued behind the commit handlers already registered, the Axon Server append among them.
                    CurrentUnitOfWork.get().onCommit(unitOfWork -> transaction.commit());
                } else {
                    transaction.commit();
                }
            }

            @Override
            public void rollback() {
                transaction.rollback();
            }
        };
    }
}
