package com.bankaccounts.platform.axon;

import java.sql.SQLException;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;

/**
 * Recognises a duplicate key (SQLState 23505) anywhere in the cause chain, including the chained exceptions of a
 * batch insert, which Axon's default resolver misses (DESIGN.md section 5, trap 2). Axon then reports a concurrent
 * append to one aggregate as a {@code ConcurrencyException} instead of a generic store failure.
 */
public class UniqueViolationExceptionResolver implements PersistenceExceptionResolver {

    private static final String UNIQUE_VIOLATION = "23505";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && isUniqueViolation(sql)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUniqueViolation(SQLException exception) {
        for (SQLException next = exception; next != null; next = next.getNextException()) {
            if (UNIQUE_VIOLATION.equals(next.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
