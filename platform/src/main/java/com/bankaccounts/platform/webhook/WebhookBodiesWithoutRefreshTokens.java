package com.bankaccounts.platform.webhook;

import com.bankaccounts.platform.crypto.TokenCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Flyway's V17, in Java since the bodies are encrypted: takes the refresh token out of the approval webhook bodies
 * recorded before webhooks left it out, so that retrying an old delivery, even after its consent was revoked and its
 * token shredded everywhere else, cannot send the token again. Spring Boot hands every {@link JavaMigration} bean to
 * Flyway.
 */
@Component
class WebhookBodiesWithoutRefreshTokens implements JavaMigration {

    private static final JsonMapper JSON = new JsonMapper();
    private static final int PAGE = 500;

    private final TokenCipher cipher;

    WebhookBodiesWithoutRefreshTokens(TokenCipher cipher) {
        this.cipher = cipher;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("17");
    }

    @Override
    public String getDescription() {
        return "webhook bodies without refresh tokens";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT event_id, body FROM webhook_event WHERE type LIKE 'approval.%' AND body IS NOT NULL");
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE webhook_event SET body = ? WHERE event_id = ?")) {
            // Read in pages and written in batches: the table is never pruned (in Flyway's transaction the driver
            // streams).
            select.setFetchSize(PAGE);
            int batched = 0;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String stored = rows.getString("body");
                    // The earliest bodies were kept in clear; one changed here is written back encrypted.
                    JsonNode body = JSON.readTree(stored.startsWith("{") ? stored : cipher.decrypt(stored));
                    if (body.get("data") instanceof ObjectNode data && data.remove("refreshToken") != null) {
                        update.setString(1, cipher.encrypt(JSON.writeValueAsString(body)));
                        update.setString(2, rows.getString("event_id"));
                        update.addBatch();
                        if (++batched % PAGE == 0) {
                            update.executeBatch();
                        }
                    }
                }
            }
            update.executeBatch();
        }
    }
}
