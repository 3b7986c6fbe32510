package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.platform.audit.EventSeals;
import com.bankaccounts.platform.testing.PostgresTestDatabase;
import java.time.Duration;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A database upgraded across V11: the events stored before it are sealed by the migration, so the store verifies,
 * and appends after it continue their streams' chains.
 */
class EventSealsBackfillTest {

    private final String database = "audit_backfill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private JdbcClient admin;
    private JdbcClient jdbc;
    private DriverManagerDataSource dataSource;

    @BeforeEach
    void createDatabase() {
        admin = JdbcClient.create(new DriverManagerDataSource(PostgresTestDatabase.url("postgres"),
                PostgresTestDatabase.user(), PostgresTestDatabase.password()));
        admin.sql("CREATE DATABASE " + database).update();
        dataSource = new DriverManagerDataSource(PostgresTestDatabase.url(database), PostgresTestDatabase.user(),
                PostgresTestDatabase.password());
        jdbc = JdbcClient.create(dataSource);
    }

    @AfterEach
    void dropDatabase() {
        admin.sql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)").update();
    }

    @Test
    void eventsStoredBeforeTheMigrationAreSealedByIt() {
        Flyway.configure().dataSource(dataSource).target("8").load().migrate();
        for (String stream : new String[] {"StreamA", "StreamB"}) {
            for (int sequence = 0; sequence < 3; sequence++) {
                append(stream, sequence);
            }
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM information_schema.columns WHERE column_name = 'seal'")
                .query(Long.class).single()).as("not migrated yet").isZero();

        Flyway.configure().dataSource(dataSource).load().migrate();
        EventSeals seals = new EventSeals(jdbc, new DataSourceTransactionManager(dataSource));
        EventSeals.Verification upgraded = seals.verify();
        assertThat(upgraded.verified()).as(upgraded.toString()).isTrue();
        assertThat(upgraded.events()).isEqualTo(6);

        append("StreamA", 3);
        // The backfilled and the new events, once no older transaction of this database runs.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
            seals.checkpoint();
            return jdbc.sql("SELECT coalesce(sum(events), 0) FROM event_seal_checkpoint").query(Long.class).single();
        }, covered -> covered == 7);
        assertThat(seals.verify().verified()).isTrue();

        jdbc.sql("UPDATE domain_event_entry SET payload = convert_to('{\"n\":42}', 'UTF8')"
                + " WHERE aggregate_identifier = 'StreamB' AND sequence_number = 1").update();
        EventSeals.Verification tampered = seals.verify();
        assertThat(tampered.verified()).isFalse();
        assertThat(tampered.firstBreak().aggregate()).isEqualTo("StreamB");
        assertThat(tampered.firstBreak().sequence()).isEqualTo(1);
        assertThat(tampered.firstBreak().reason()).isEqualTo("seal-mismatch");
    }

    private void append(String stream, int sequence) {
        jdbc.sql("""
                        INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, aggregate_type,
                            event_identifier, meta_data, payload, payload_type, time_stamp)
                        VALUES (?, ?, 'Legacy', ?, convert_to('{"principal":"crn::api-key:admin"}', 'UTF8'),
                            convert_to(?, 'UTF8'), 'com.example.Legacy', '2024-01-01T00:00:00Z')""")
                .params(stream, sequence, UUID.randomUUID().toString(), "{\"n\":" + sequence + "}").update();
    }
}
