package com.bankaccounts.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.api.common.Ids;
import com.bankaccounts.platform.crypto.TokenCipher;
import com.bankaccounts.platform.webhook.WebhookUrlPolicy;
import com.bankaccounts.query.ReadModelDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deliveries that cannot be sent at all fail at once; the failures counter, which an operator alerts on, counts the
 * one the service is at fault for (an event recorded without a body) and not those of an endpoint its owner disabled.
 */
class WebhookDispatcherFailuresTest {

    private final JdbcClient jdbc = ReadModelDatabase.jdbc();
    private final WebhookDeliveries deliveries = new WebhookDeliveries(jdbc);
    private final WebhookEndpointReadModel endpoints = new WebhookEndpointReadModel(jdbc);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TokenCipher cipher = new TokenCipher(new byte[32]);
    private final WebhookProperties properties = new WebhookProperties(List.of(Duration.ofSeconds(5)),
            Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(50), 2, 2,
            Duration.ofSeconds(30));
    private final WebhookDispatcher dispatcher = new WebhookDispatcher(deliveries, endpoints, cipher, properties,
            new TransactionTemplate(new JdbcTransactionManager(ReadModelDatabase.dataSource())), meters,
            new WebhookUrlPolicy("", "", Duration.ofSeconds(1)));

    @AfterEach
    void stop() {
        dispatcher.stop();
    }

    @Test
    void aDisabledEndpointsDeliveryFailsUncountedAndAnEventWithoutABodyCounted() {
        // Other tests' due deliveries in this JVM's database would be sent by this dispatcher too, and counted.
        jdbc.sql("UPDATE webhook_delivery SET status = 'failed', next_attempt_at = NULL WHERE status = 'pending'")
                .update();
        String disabled = endpoint();
        endpoints.markDisabled(disabled, 2);
        String withoutBody = endpoint();
        String disabledDelivery = delivery(disabled);
        String bodilessDelivery = delivery(withoutBody);

        dispatcher.start();

        // The counter moves just after the failure's commit.
        await().atMost(Duration.ofSeconds(30)).until(() -> status(disabledDelivery).equals("failed")
                && status(bodilessDelivery).equals("failed") && meters.get("webhooks.failed").counter().count() > 0);
        assertThat(row(disabledDelivery)).containsEntry("last_error", "endpoint disabled")
                .containsEntry("next_attempt_at", null);
        assertThat(row(bodilessDelivery)).containsEntry("last_error", "event has no body")
                .containsEntry("next_attempt_at", null);
        assertThat(meters.get("webhooks.failed").counter().count()).isEqualTo(1.0);
    }

    private String endpoint() {
        String id = Ids.newId();
        endpoints.insert(id, Ids.newId(), "http://127.0.0.1:9/hooks", null, null, true,
                cipher.encrypt("whsec_test"), Instant.now(), "test", 1);
        return id;
    }

    /** A due delivery of an event that no one recorded, so none with a body. */
    private String delivery(String endpointId) {
        deliveries.addDelivery(endpointId, "evt_" + Ids.newId(), "bank-account.created");
        return jdbc.sql("SELECT id FROM webhook_delivery WHERE endpoint_id = ?").param(endpointId)
                .query(String.class).single();
    }

    private String status(String deliveryId) {
        return (String) row(deliveryId).get("status");
    }

    private Map<String, Object> row(String deliveryId) {
        return jdbc.sql("SELECT status, last_error, next_attempt_at FROM webhook_delivery WHERE id = ?")
                .param(deliveryId).query().singleRow();
    }
}
