package com.bankaccounts.command.webhook;

import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The command side's view of webhook endpoints: who owns each, and how many each account has enabled. */
@Repository
public class WebhookEndpointRegistry {

    private final JdbcClient jdbc;
    private final int maxPerAccount;

    public WebhookEndpointRegistry(JdbcClient jdbc, @Value("${app.webhooks.max-endpoints-per-account:10}") int maxPerAccount) {
        this.jdbc = jdbc;
        this.maxPerAccount = maxPerAccount;
    }

    /**
     * Records the endpoint unless its account already has as many enabled as it may. The account's row lock
     * serialises claims of one account on any node; must run in the transaction that appends the creation event.
     */
    boolean claim(String webhookEndpointId, String accountId) {
        jdbc.sql("SELECT id FROM accounts WHERE id = ? FOR UPDATE").param(accountId).query(String.class).single();
        long enabled = jdbc.sql("SELECT COUNT(*) FROM webhook_endpoint_registry WHERE account_id = ? AND enabled")
                .param(accountId).query(Long.class).single();
        if (enabled >= maxPerAccount) {
            return false;
        }
        jdbc.sql("INSERT INTO webhook_endpoint_registry (webhook_endpoint_id, account_id, enabled) VALUES (?, ?, TRUE)")
                .params(webhookEndpointId, accountId).update();
        return true;
    }

    void markDisabled(String webhookEndpointId) {
        jdbc.sql("UPDATE webhook_endpoint_registry SET enabled = FALSE WHERE webhook_endpoint_id = ?")
                .param(webhookEndpointId).update();
    }

    Optional<String> ownerOf(String webhookEndpointId) {
        return jdbc.sql("SELECT account_id FROM webhook_endpoint_registry WHERE webhook_endpoint_id = ?")
                .param(webhookEndpointId).query(String.class).optional();
    }
}
