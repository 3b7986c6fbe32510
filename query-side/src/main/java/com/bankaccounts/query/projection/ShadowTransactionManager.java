package com.bankaccounts.query.projection;

import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;

/**
 * The rebuild processor's transactions: Spring's, as every processor's (so the projection's JdbcClient joins the
 * same connection), with the copies first on the search path.
 */
final class ShadowTransactionManager implements TransactionManager {

    private final TransactionManager delegate;
    private final ShadowTables shadow;

    ShadowTransactionManager(TransactionManager delegate, ShadowTables shadow) {
        this.delegate = delegate;
        this.shadow = shadow;
    }

    @Override
    public Transaction startTransaction() {
        Transaction transaction = delegate.startTransaction();
        try {
            shadow.useInThisTransaction();
        } catch (RuntimeException e) {
            transaction.rollback();
            throw e;
        }
        return transaction;
    }
}
