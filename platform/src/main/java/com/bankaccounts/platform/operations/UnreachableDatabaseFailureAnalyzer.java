package com.bankaccounts.platform.operations;

import java.sql.SQLException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start that cannot reach PostgreSQL, or is refused by it, ends in Boot's "APPLICATION FAILED TO START" report with
 * PostgreSQL's reason and the settings to check, instead of a 180-line stack trace (META-INF/spring.factories). The
 * URL is not shown: it may carry a password.
 */
class UnreachableDatabaseFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
        SQLException innermost = cause;
        int depth = 0;
        for (Throwable next = cause.getCause(); next != null && depth++ < 32; next = next.getCause()) {
            if (next instanceof SQLException sql) {
                innermost = sql;
            }
        }
        String state = innermost.getSQLState();
        // 08: no connection; 28: user or password refused; 3D000: no such database.
        if (state == null || !(state.startsWith("08") || state.startsWith("28") || state.equals("3D000"))) {
            return null;
        }
        return new FailureAnalysis("The database could not be used: " + innermost.getMessage(),
                "Check that PostgreSQL is running and reachable from this host, and the settings "
                        + "SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD.",
                rootFailure);
    }
}
