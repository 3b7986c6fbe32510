package com.bankaccounts.platform.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The zero-setup default: with no {@code SPRING_DATASOURCE_URL}, the process starts a PostgreSQL of its own (binaries
 * from Maven Central) with its data under {@code ./data/postgres}, kept between runs, on a free port of localhost,
 * and stops it when the context closes. Boot builds the pool from these connection details as from the properties,
 * so Flyway, Axon and the read models run exactly as on an external PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.InUse.class)
public class EmbeddedPostgresConfiguration {

    static final String DATABASE = "bank_accounts";
    static final String USER = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    /** The rule, in one place: the embedded database serves when no datasource URL is configured. */
    public static boolean inUse(String datasourceUrl) {
        return datasourceUrl == null || datasourceUrl.isBlank();
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(@Value("${app.data-directory:./data}") Path dataDirectory)
            throws IOException, SQLException {
        Path data = dataDirectory.resolve("postgres").toAbsolutePath().normalize();
        stopOrphanedPostmaster(data);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                // Stopped by the context, after the pool and everything using it; not by a hook racing it.
                .setRegisterShutdownHook(false)
                // The library tunes for throw-away test data; these data are kept, so make commits durable.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                // Room for crash recovery after an unclean stop, or a busy machine.
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        createDatabaseIfMissing(postgres);
        log.info("Embedded PostgreSQL on localhost:{} (database {}), data in {}", postgres.getPort(), DATABASE, data);
        return postgres;
    }

    @Bean
    JdbcConnectionDetails embeddedPostgresConnectionDetails(EmbeddedPostgres postgres) {
        String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
        return new JdbcConnectionDetails() {
            @Override
            public String getJdbcUrl() {
                return url;
            }

            @Override
            public String getUsername() {
                return USER;
            }

            @Override
            public String getPassword() {
                return null;
            }
        };
    }

    /**
     * A server killed outright leaves its PostgreSQL running on the data, which would refuse to start twice: stop
     * that one. The library's lock file tells it from the PostgreSQL of a server still running, which is refused.
     */
    private static void stopOrphanedPostmaster(Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(data.resolve("epg-lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException(data + " is in use by another running server");
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            Optional<ProcessHandle> postmaster = ProcessHandle.of(pid)
                    .filter(process -> process.info().command().filter(c -> c.endsWith("postgres")).isPresent());
            if (postmaster.isEmpty()) {
                return;
            }
            log.warn("Stopping the embedded PostgreSQL (pid {}) left running by a server that did not stop", pid);
            postmaster.get().destroy();
            postmaster.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the PostgreSQL left running on " + data, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The PostgreSQL left running on " + data + " did not stop", e);
        }
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres postgres) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + DATABASE);
            }
        }
    }

    static class InUse implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return inUse(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }
}
