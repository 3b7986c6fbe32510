package com.bankaccounts.command.webhook;

import com.bankaccounts.api.webhook.WebhookEndpointDisabledEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/** A disabled endpoint frees its place under the limit, in the same transaction as its event (subscribing). */
@Component
@ProcessingGroup(WebhookEndpointRegistryUpdater.PROCESSING_GROUP)
public class WebhookEndpointRegistryUpdater {

    public static final String PROCESSING_GROUP = "webhook-endpoint-registry";

    private final WebhookEndpointRegistry registry;

    public WebhookEndpointRegistryUpdater(WebhookEndpointRegistry registry) {
        this.registry = registry;
    }

    @EventHandler
    void on(WebhookEndpointDisabledEvent event) {
        registry.markDisabled(event.webhookEndpointId());
    }
}
