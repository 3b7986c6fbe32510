package com.bankaccounts.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.logback.StructuredLogEncoder;

/**
 * The lines LOGGING_STRUCTURED_FORMAT_CONSOLE=logstash would write, captured from the root logger with Boot's own
 * encoder (attached here because a test JVM configures logging once, for its first context) until closed.
 */
final class JsonLogCapture implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger root;
    private final AppenderBase<ILoggingEvent> appender;

    private JsonLogCapture() {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(logging);
        encoder.setFormat("logstash");
        encoder.start();
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8).strip());
            }
        };
        appender.setContext(logging);
        appender.start();
        root = logging.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    /** Starts capturing every line logged from now on. */
    static JsonLogCapture start() {
        JsonLogCapture capture = new JsonLogCapture();
        capture.root.addAppender(capture.appender);
        return capture;
    }

    /** The JSON lines captured so far, one per event, still readable after {@link #close()}. */
    List<String> lines() {
        return lines;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
    }
}
