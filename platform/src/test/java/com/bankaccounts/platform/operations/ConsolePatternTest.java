package com.bankaccounts.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** The console pattern of application.yml: Boot's plain layout without its colours, Boot's layout settings kept. */
class ConsolePatternTest {

    @Test
    void bootsPlainLayoutWithItsDefaults() throws IOException {
        String pattern = consolePattern(Map.of());
        assertThat(pattern).isEqualTo("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5p 4242 --- [bank-accounts] [%15.15t] "
                + "%-40.40logger{39} : %m%n%wEx");

        LoggingEvent event = new LoggingEvent(ConsolePatternTest.class.getName(),
                new LoggerContext().getLogger("access"), Level.INFO, "GET /api/bank-accounts/{id} 200 1ms", null,
                null);
        event.setThreadName("http-nio-8080-exec-1");
        event.setTimeStamp(0);
        assertThat(render(pattern, event)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000(Z|[+-]\\d\\d:\\d\\d)"
                + "  INFO 4242 --- \\[bank-accounts\\] \\[nio-8080-exec-1\\] access {34} : "
                + "GET /api/bank-accounts/\\{id} 200 1ms\\R");
    }

    @Test
    void bootsSettingsForItsPartsStillApply() throws IOException {
        String pattern = consolePattern(Map.of("logging.pattern.dateformat", "HH:mm",
                "logging.pattern.level", "%-5p", "logging.pattern.correlation", "[%X{traceId}] ",
                "logging.exception-conversion-word", "%ex"));
        assertThat(pattern).isEqualTo("%d{HH:mm} %-5p 4242 --- [bank-accounts] [%15.15t] [%X{traceId}] "
                + "%-40.40logger{39} : %m%n%ex");
    }

    /** As Boot resolves it: through the environment, with the settings given and Boot's PID property. */
    private static String consolePattern(Map<String, Object> settings) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        // Ahead of the system properties, where an earlier Boot application of this JVM may have left its PID.
        environment.getPropertySources().addFirst(new MapPropertySource("boot", Map.of("PID", "4242")));
        environment.getPropertySources().addFirst(new MapPropertySource("settings", settings));
        new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);
        return environment.getProperty("logging.pattern.console");
    }

    private static String render(String pattern, LoggingEvent event) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(new LoggerContext());
        layout.getInstanceConverterMap().put("wEx", ExtendedWhitespaceThrowableProxyConverter::new);
        layout.setPattern(pattern);
        layout.start();
        return layout.doLayout(event);
    }
}
