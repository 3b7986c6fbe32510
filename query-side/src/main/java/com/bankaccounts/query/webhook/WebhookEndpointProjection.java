package com.bankaccounts.query.webhook;

import com.bankaccounts.api.webhook.WebhookEndpointCreatedEvent;
import com.bankaccounts.api.webhook.WebhookEndpointDisabledEvent;
import com.bankaccounts.api.webhook.WebhookEndpointSecretRotatedEvent;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.stereotype.Component;

@Component
@ProcessingGroup(WebhookEndpointProjection.PROCESSING_GROUP)
public class WebhookEndpointProjection {

    public static final String PROCESSING_GROUP = "webhook-endpoints";

    private final WebhookEndpointReadModel readModel;

    public WebhookEndpointProjection(WebhookEndpointReadModel readModel) {
        this.readModel = readModel;
    }

    @EventHandler
    void on(WebhookEndpointCreatedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal, @SequenceNumber long version) {
        readModel.insert(event.webhookEndpointId(), event.accountId(), event.url(), event.eventTypes(),
                event.description(), event.test(), event.encryptedSecret(), at, principal, version);
    }

    @EventHandler
    void on(WebhookEndpointSecretRotatedEvent event, @SequenceNumber long version) {
        readModel.rotateSecret(event.webhookEndpointId(), event.encryptedSecret(), event.previousSecretExpiresAt(),
                version);
    }

    @EventHandler
    void on(WebhookEndpointDisabledEvent event, @SequenceNumber long version) {
        readModel.markDisabled(event.webhookEndpointId(), version);
    }
}
