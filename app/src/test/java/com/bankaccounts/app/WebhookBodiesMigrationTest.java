package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.crypto.TokenCipher;
import com.bankaccounts.platform.testing.ApiClient;
import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * V17 takes the refresh token out of approval webhook bodies recorded before webhooks left it out, and changes no
 * other body. Flyway got it as a bean and ran it at start (on this run's empty tables); here it runs again over rows
 * written the old way.
 */
class WebhookBodiesMigrationTest extends ApiTestSupport {

    @Autowired
    private List<JavaMigration> migrations;

    @Autowired
    private TokenCipher cipher;

    @Autowired
    private DataSource dataSource;

    @Test
    void oldApprovalBodiesLoseTheirRefreshTokenAndNothingElse() throws Exception {
        String approved = record("approval.approved", """
                {"id":"e1","type":"approval.approved","data":{"id":"a1","status":"approved","refreshToken":"sbx_secret",\
                "consentId":"c1"}}""");
        String settlement = record("approval.created", """
                {"id":"e2","type":"approval.created","data":{"id":"a2","status":"created","type":"settlement"}}""");
        String bankAccount = record("bank-account.created", """
                {"id":"e3","type":"bank-account.created","data":{"id":"b1","refreshToken":"not an approval"}}""");
        String plain = UUID.randomUUID().toString();
        jdbc.sql("INSERT INTO webhook_event (event_id, type, account_id, created_at, body)"
                + " VALUES (?, 'approval.created', 'acc', now(), ?)").params(plain, """
                {"id":"e4","type":"approval.created","data":{"id":"a4","refreshToken":"kept in clear"}}""").update();
        String unheard = UUID.randomUUID().toString();
        jdbc.sql("INSERT INTO webhook_event (event_id, type, account_id, created_at) VALUES (?, 'approval.approved',"
                + " 'acc', now())").param(unheard).update();
        String settlementBefore = storedBody(settlement);

        JavaMigration migration = migrations.stream()
                .filter(candidate -> MigrationVersion.fromVersion("17").equals(candidate.getVersion()))
                .findFirst().orElseThrow();
        try (Connection connection = dataSource.getConnection()) {
            migration.migrate(new Context() {
                @Override
                public Configuration getConfiguration() {
                    return null;
                }

                @Override
                public Connection getConnection() {
                    return connection;
                }
            });
        }

        JsonNode data = body(approved).get("data");
        assertThat(data.has("refreshToken")).isFalse();
        assertThat(data.get("consentId").asString()).isEqualTo("c1");
        assertThat(body(approved).get("type").asString()).isEqualTo("approval.approved");
        assertThat(storedBody(settlement)).as("unchanged, not even encrypted again").isEqualTo(settlementBefore);
        assertThat(body(bankAccount).get("data").get("refreshToken").asString()).isEqualTo("not an approval");
        assertThat(storedBody(unheard)).isNull();
        assertThat(storedBody(plain)).as("a body kept in clear is written back encrypted").startsWith("v1:");
        assertThat(body(plain).get("data").has("refreshToken")).isFalse();
    }

    private String record(String type, String body) {
        String eventId = UUID.randomUUID().toString();
        jdbc.sql("INSERT INTO webhook_event (event_id, type, account_id, created_at, body)"
                        + " VALUES (?, ?, 'acc', now(), ?)")
                .params(eventId, type, cipher.encrypt(body)).update();
        return eventId;
    }

    private String storedBody(String eventId) {
        return jdbc.sql("SELECT body FROM webhook_event WHERE event_id = ?").param(eventId).query(String.class)
                .optional().orElse(null);
    }

    private JsonNode body(String eventId) {
        return ApiClient.JSON.readTree(cipher.decrypt(storedBody(eventId)));
    }
}
