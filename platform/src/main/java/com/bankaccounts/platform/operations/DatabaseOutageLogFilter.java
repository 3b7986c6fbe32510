package com.bankaccounts.platform.operations;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * While PostgreSQL does not answer, every poller (the readiness probe's check, db-scheduler, Axon's processors, Hikari)
 * logs the same connection failure with a stack trace of 30 to 160 lines, each time it tries: some 1,800 lines a
 * minute. Here a log line whose exception is a failure to get a connection keeps its stack trace once per
 * {@link #TRACE_INTERVAL} for each logger and message; in between, the same line is written on one line, with the
 * reason. Any other exception is logged as it is.
 */
public class DatabaseOutageLogFilter extends TurboFilter {

    static final Duration TRACE_INTERVAL = Duration.ofMinutes(5);
    private static final int MAX_REMEMBERED = 1_000;
    private static final int MAX_CAUSES = 32;

    private final Clock clock;
    private final Map<String, Instant> lastTraceAt = new ConcurrentHashMap<>();

    public DatabaseOutageLogFilter() {
        this(Clock.systemUTC());
    }

    DatabaseOutageLogFilter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable thrown) {
        // Called for every logging call, enabled or not: what has no exception returns at once.
        Throwable failure = thrown != null ? thrown : lastThrowable(params);
        if (failure == null || format == null || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        String unreachable = unreachableDatabase(failure);
        if (unreachable == null) {
            return FilterReply.NEUTRAL;
        }
        String key = logger.getName() + '\n' + format;
        Instant now = clock.instant();
        Instant last = lastTraceAt.get(key);
        if (last == null || !now.isBefore(last.plus(TRACE_INTERVAL))) {
            if (lastTraceAt.size() >= MAX_REMEMBERED) {
                lastTraceAt.clear();
            }
            lastTraceAt.put(key, now);
            return FilterReply.NEUTRAL;
        }
        String message = MessageFormatter.arrayFormat(format, params).getMessage();
        // Without an exception, this line passes the filter as it is.
        LoggingEventBuilder line = logger.atLevel(
                org.slf4j.event.Level.intToLevel(Level.toLocationAwareLoggerInteger(level)));
        if (marker != null) {
            line.addMarker(marker);
        }
        line.log("{} [no database connection: {}; its stack trace is repeated at most every {} minutes]",
                        message, unreachable, TRACE_INTERVAL.toMinutes());
        return FilterReply.DENY;
    }

    private static Throwable lastThrowable(Object[] params) {
        return params != null && params.length > 0 && params[params.length - 1] instanceof Throwable thrown
                ? thrown
                : null;
    }

    /**
     * Why no connection could be had, from the exception's causes (and suppressed ones): the innermost SQL exception
     * of a connection failure, which names the host and port, else the first such failure; null when none is one.
     */
    static String unreachableDatabase(Throwable failure) {
        Throwable found = connectionFailure(failure, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found == null ? null : String.valueOf(found.getMessage());
    }

    private static Throwable connectionFailure(Throwable failure, Set<Throwable> seen) {
        Throwable found = null;
        for (Throwable cause = failure; cause != null && seen.size() < MAX_CAUSES && seen.add(cause);
                cause = cause.getCause()) {
            if (isConnectionFailure(cause)) {
                if (found == null || cause instanceof SQLException) {
                    found = cause;
                }
            } else if (found == null) {
                for (Throwable suppressed : cause.getSuppressed()) {
                    found = connectionFailure(suppressed, seen);
                    if (found != null) {
                        break;
                    }
                }
            }
        }
        return found;
    }

    private static boolean isConnectionFailure(Throwable cause) {
        return cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
                || cause instanceof ConnectException
                || cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08");
    }

    /**
     * Adds the filter once Boot has set up logging (which resets Logback's filters), for each application this JVM
     * starts (META-INF/spring.factories).
     */
    public static class Installer implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                    && context.getTurboFilterList().stream().noneMatch(DatabaseOutageLogFilter.class::isInstance)) {
                DatabaseOutageLogFilter filter = new DatabaseOutageLogFilter();
                filter.setContext(context);
                filter.start();
                context.addTurboFilter(filter);
            }
        }

        @Override
        public int getOrder() {
            return LoggingApplicationListener.DEFAULT_ORDER + 1;
        }
    }
}
