package com.bankaccounts.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** In a real Logback context: a lost database's stack trace once per interval for each logger and message. */
class DatabaseOutageLogFilterTest {

    private final MovableClock clock = new MovableClock();
    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Logger poller;

    @BeforeEach
    void logToAList() {
        DatabaseOutageLogFilter filter = new DatabaseOutageLogFilter(clock);
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
        appender.setContext(context);
        appender.start();
        poller = context.getLogger("poller");
        poller.addAppender(appender);
    }

    /** As Hikari reports a refused connection, wrapped as Spring and db-scheduler wrap it. */
    private static RuntimeException lostConnection() {
        SQLException refused = new SQLException("Connection to 127.0.0.1:5432 refused.", "08001",
                new ConnectException("Connection refused"));
        SQLTransientConnectionException timeout = new SQLTransientConnectionException(
                "HikariPool-1 - Connection is not available, request timed out after 5000ms", "08001", refused);
        RuntimeException rollback = new RuntimeException("Failed to rollback.");
        rollback.addSuppressed(new RuntimeException("Error when preparing statement.", timeout));
        return rollback;
    }

    @Test
    void theFirstFailureKeepsItsStackTraceAndRepeatsAreOneLineWithTheReason() {
        poller.warn("poll failed", lostConnection());
        poller.warn("poll failed", lostConnection());

        assertThat(appender.list).hasSize(2);
        assertThat(appender.list.get(0).getThrowableProxy()).isNotNull();
        assertThat(appender.list.get(1).getThrowableProxy()).isNull();
        assertThat(appender.list.get(1).getLevel()).hasToString("WARN");
        assertThat(appender.list.get(1).getFormattedMessage()).isEqualTo("poll failed [no database connection: "
                + "Connection to 127.0.0.1:5432 refused.; its stack trace is repeated at most every 5 minutes]");
    }

    @Test
    void anExceptionGivenAmongTheArgumentsIsRecognisedAndTheMessageFormatted() {
        poller.error("Processor [{}] ({}) failed", "webhooks", "task 0", lostConnection());
        poller.error("Processor [{}] ({}) failed", "webhooks", "task 1", lostConnection());

        assertThat(appender.list.get(0).getThrowableProxy()).isNotNull();
        assertThat(appender.list.get(1).getFormattedMessage()).startsWith("Processor [webhooks] (task 1) failed [no ");
        assertThat(appender.list.get(1).getThrowableProxy()).isNull();
    }

    @Test
    void theStackTraceComesAgainAfterTheInterval() {
        poller.warn("poll failed", lostConnection());
        clock.advance(DatabaseOutageLogFilter.TRACE_INTERVAL.minusSeconds(1));
        poller.warn("poll failed", lostConnection());
        clock.advance(Duration.ofSeconds(1));
        poller.warn("poll failed", lostConnection());

        assertThat(appender.list).extracting(event -> event.getThrowableProxy() != null)
                .containsExactly(true, false, true);
    }

    @Test
    void eachLoggerAndMessageHasItsOwnFirstStackTrace() {
        Logger other = context.getLogger("other");
        other.addAppender(appender);

        poller.warn("poll failed", lostConnection());
        poller.warn("health check failed", lostConnection());
        other.warn("poll failed", lostConnection());

        assertThat(appender.list).allSatisfy(event -> assertThat(event.getThrowableProxy()).isNotNull());
    }

    @Test
    void otherExceptionsAreLoggedAsTheyAre() {
        poller.warn("failed", new IllegalStateException("a bug", new SQLException("syntax error", "42601")));
        poller.warn("failed", new IllegalStateException("a bug", new SQLException("syntax error", "42601")));

        assertThat(appender.list).hasSize(2)
                .allSatisfy(event -> assertThat(event.getThrowableProxy()).isNotNull());
    }

    @Test
    void aLevelTheLoggerDoesNotWriteIsLeftAlone() {
        poller.setLevel(ch.qos.logback.classic.Level.WARN);

        poller.info("poll failed", lostConnection());
        poller.info("poll failed", lostConnection());
        poller.warn("poll failed", lostConnection());

        assertThat(appender.list).hasSize(1);
        assertThat(appender.list.get(0).getThrowableProxy()).as("the first written keeps its trace").isNotNull();
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-06T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
