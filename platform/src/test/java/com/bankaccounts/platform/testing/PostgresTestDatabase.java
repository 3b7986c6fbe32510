package com.bankaccounts.platform.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Points a test context at a fresh PostgreSQL database of its own, created for this JVM and dropped when it ends.
 * The server, chosen once per JVM: the one given by TEST_PG_HOST / TEST_PG_PORT / TEST_PG_USER / TEST_PG_PASSWORD;
 * else the local one on 127.0.0.1:5432 (as postgres) if it answers; else an embedded PostgreSQL started for the
 * whole run and removed after it. TEST_PG=embedded forces the embedded one.
 */
public class PostgresTestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final String LOCAL_HOST = "127.0.0.1";
    private static final int LOCAL_PORT = 5432;
    /** The threads that close application contexts when the JVM stops: Spring Boot's, and Spring's own. */
    private static final Set<String> CONTEXT_SHUTDOWN_HOOKS = Set.of("SpringApplicationShutdownHook",
            AbstractApplicationContext.SHUTDOWN_HOOK_THREAD_NAME);

    private record Server(String host, int port, String user, String password, boolean embedded) {
    }

    private static volatile Server server;
    private static volatile String databaseName;

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        pointAt(context, database());
    }

    /** Points {@code context} at {@code database}, on this JVM's server, ahead of every other property source. */
    public static void pointAt(ConfigurableApplicationContext context, String database) {
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("postgres-test-database",
                Map.of("spring.datasource.url", url(database),
                        "spring.datasource.username", user(),
                        "spring.datasource.password", password(),
                        // A run caches several application contexts on one server: idle ones give their
                        // connections back instead of holding a full pool each (PostgreSQL allows 100).
                        "spring.datasource.hikari.minimum-idle", "2",
                        "spring.datasource.hikari.idle-timeout", "10000",
                        // A configured database refuses test webhooks to loopback by default (a shared server's
                        // loopback is its own); every test context's receivers are on this machine's, as a
                        // developer's are, and every context on the database may send a delivery.
                        "app.webhooks.test-loopback", "true")));
    }

    public static String url(String database) {
        Server s = server();
        return "jdbc:postgresql://" + s.host() + ":" + s.port() + "/" + database;
    }

    public static String user() {
        return server().user();
    }

    public static String password() {
        return server().password();
    }

    /** Connections to a {@link #newDatabase new, empty database}, for a migration test without a context. */
    public static DriverManagerDataSource newDataSource() {
        return new DriverManagerDataSource(url(newDatabase()), user(), password());
    }

    /** The database of this JVM, created on first use. */
    public static synchronized String database() {
        if (databaseName == null) {
            databaseName = newDatabase();
        }
        return databaseName;
    }

    /**
     * A new, empty database, dropped when the JVM ends: for a context that must start on a store nobody has used
     * (no processor tokens yet), with {@link #pointAt}.
     */
    public static String newDatabase() {
        String name = "bank_accounts_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        execute("CREATE DATABASE " + name);
        if (!server().embedded()) {
            // An embedded server takes its data along when it stops.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                awaitContextsClosing();
                dropQuietly(name);
            }));
        }
        return name;
    }

    /**
     * Waits for the shutdown hooks that close application contexts (Spring Boot's, and Spring's own for a context
     * started without Boot), which run beside this one: dropped under a context still closing, the database made its
     * processors retry until Surefire killed the JVM, 30 s later.
     */
    private static void awaitContextsClosing() {
        try {
            // The JVM starts its hooks one after another: a moment, so that all of them are running.
            Thread.sleep(100);
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (CONTEXT_SHUTDOWN_HOOKS.contains(thread.getName())) {
                    thread.join(Duration.ofSeconds(20).toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static synchronized Server server() {
        if (server == null) {
            server = choose();
        }
        return server;
    }

    private static Server choose() {
        if ("embedded".equalsIgnoreCase(System.getenv("TEST_PG"))) {
            return embedded();
        }
        String host = System.getenv("TEST_PG_HOST");
        String port = System.getenv("TEST_PG_PORT");
        if (isSet(host) || isSet(port)) {
            return new Server(isSet(host) ? host : LOCAL_HOST, isSet(port) ? Integer.parseInt(port) : LOCAL_PORT,
                    env("TEST_PG_USER", "postgres"), env("TEST_PG_PASSWORD", ""), false);
        }
        if (answers(LOCAL_HOST, LOCAL_PORT)) {
            return new Server(LOCAL_HOST, LOCAL_PORT, env("TEST_PG_USER", "postgres"), env("TEST_PG_PASSWORD", ""),
                    false);
        }
        return embedded();
    }

    /** One per JVM: its data in a temporary folder, stopped and removed by the library's shutdown hook. */
    private static Server embedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
            System.out.println("Tests use an embedded PostgreSQL on localhost:" + postgres.getPort());
            return new Server("localhost", postgres.getPort(), "postgres", "", true);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start an embedded PostgreSQL for the tests", e);
        }
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void dropQuietly(String name) {
        try {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (RuntimeException e) {
            System.err.println("Could not drop test database " + name + ": " + e.getMessage());
        }
    }

    private static void execute(String sql) {
        Server s = server();
        try (Connection connection = DriverManager.getConnection(url("postgres"), s.user(), s.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + s.host() + ":" + s.port() + " is needed for the tests ("
                    + e.getMessage() + "); start it, set TEST_PG_HOST/TEST_PG_PORT/TEST_PG_USER, or unset them "
                    + "(or set TEST_PG=embedded) to use an embedded one", e);
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return isSet(value) ? value : fallback;
    }
}
