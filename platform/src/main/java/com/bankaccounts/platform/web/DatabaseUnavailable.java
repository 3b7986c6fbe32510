package com.bankaccounts.platform.web;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Whether a failure comes from the database being out of reach (down, restarting, refusing connections) rather than
 * from the request: then the answer is 503, to be retried, and not a 500.
 */
final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    static boolean causes(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException) {
                return true;
            }
            // 08: connection exceptions; 57P01-57P03: the server shutting down, crashed, or not yet accepting.
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            // A commit cut off by the outage whose rollback failed too: the commit's failure is the one that tells.
            if (cause instanceof TransactionSystemException failed && failed.getApplicationException() != null
                    && failed.getApplicationException() != failure && causes(failed.getApplicationException())) {
                return true;
            }
            // A rollback that failed on its connection: the database dropped it (HikariCP reports the closed
            // connection without a SQLState).
            if (cause instanceof TransactionSystemException && cause.getCause() instanceof SQLException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
