package com.bankaccounts.platform.axon;

import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A read model processor's transactions, where it tracks the event store: Spring's, in which PostgreSQL plans each
 * statement for the tables as they are now. A processor catching up from an empty read model fills its tables within
 * minutes; a generic plan cached on a pooled connection while a table held one row scans it whole (a lookup by primary
 * key took 1 ms at 50,000 rows) until autovacuum's next ANALYZE. Planning costs 20-40 µs a statement, so only
 * processors that fill tables from empty use this (ReadModelProcessing in the query side).
 *
 * <p>A transaction it joins keeps its plans: in the assembly the same processors are subscribing and run in the
 * command's transaction, whose statements are not the read model's catch-up.
 */
public final class CustomPlanTransactionManager implements TransactionManager {

    /** The value of {@code plan_cache_mode} inside these transactions. */
    public static final String PLAN_CACHE_MODE = "force_custom_plan";

    private final TransactionManager delegate;
    private final JdbcClient jdbc;

    public CustomPlanTransactionManager(TransactionManager delegate, JdbcClient jdbc) {
        this.delegate = delegate;
        this.jdbc = jdbc;
    }

    @Override
    public Transaction startTransaction() {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // Joining sends nothing to the database: a database gone at that moment fails the command's own
            // statements, where its error shows, and not Axon's start of the processor's unit of work, which
            // masks it with an IllegalStateException (a 500 instead of a 503).
            return delegate.startTransaction();
        }
        Transaction transaction = delegate.startTransaction();
        try {
            planEachStatement(jdbc);
        } catch (RuntimeException e) {
            transaction.rollback();
            throw e;
        }
        return transaction;
    }

    /** For the rest of the current transaction, PostgreSQL plans each statement for the tables as they are. */
    public static void planEachStatement(JdbcClient jdbc) {
        jdbc.sql("SET LOCAL plan_cache_mode = " + PLAN_CACHE_MODE).update();
    }
}
