package com.bankaccounts.query.projection;

import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The rebuild processor's transactions: Spring's, as every processor's (so the projection's JdbcClient joins the
 * same connection), with the copies first on the search path, and the projection's writes sent in batches when the
 * transaction commits ({@link BatchedWrites}): a replay's batch of events costs a few round trips.
 */
final class ShadowTransactionManager implements TransactionManager {

    private final TransactionManager delegate;
    private final ShadowTables shadow;
    private final DataSource dataSource;
    private volatile Map<String, BatchedWrites.TableKey> keys;

    ShadowTransactionManager(TransactionManager delegate, ShadowTables shadow, DataSource dataSource) {
        this.delegate = delegate;
        this.shadow = shadow;
        this.dataSource = dataSource;
    }

    @Override
    public Transaction startTransaction() {
        Transaction transaction = delegate.startTransaction();
        try {
            shadow.useInThisTransaction();
            if (keys == null) {
                keys = shadow.keys();
            }
            batchWrites();
        } catch (RuntimeException e) {
            transaction.rollback();
            throw e;
        }
        return transaction;
    }

    /** Binds the held-back connection in place of the transaction's own, for everything run in it. */
    private void batchWrites() {
        ConnectionHolder own = (ConnectionHolder) TransactionSynchronizationManager.getResource(dataSource);
        if (own == null || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        Map<String, BatchedWrites.TableKey> tableKeys = keys;
        BatchedWrites writes = BatchedWrites.over(own.getConnection(), Set.copyOf(tableKeys.keySet()), tableKeys::get);
        TransactionSynchronizationManager.unbindResource(dataSource);
        ConnectionHolder batched = new ConnectionHolder(writes.connection(), true);
        batched.setSynchronizedWithTransaction(true);
        TransactionSynchronizationManager.bindResource(dataSource, batched);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                try {
                    writes.flush();
                } catch (SQLException e) {
                    throw new SQLStateSQLExceptionTranslator().translate("rebuild batch", null, e);
                }
            }

            @Override
            public void afterCompletion(int status) {
                writes.close();
            }
        });
    }
}
