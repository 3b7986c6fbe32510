package com.bankaccounts.query.webhook;

import com.bankaccounts.api.webhook.WebhookEventType;
import com.bankaccounts.query.webhook.WebhookDeliveries.RecordedEvent;
import com.bankaccounts.query.webhook.WebhookEndpointReadModel.StoredEndpoint;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.springframework.stereotype.Component;

/**
 * Turns each recorded webhook event into one delivery per enabled endpoint of its account that takes its type. A
 * pooled streaming processor whose token is in the token store, so every event is taken once its transaction has
 * committed, on whichever node holds the segment, across restarts (at least once; deliveries are unique per event and
 * endpoint, so taking an event twice adds nothing).
 */
@Component
@ProcessingGroup(WebhookFanOut.PROCESSING_GROUP)
public class WebhookFanOut {

    public static final String PROCESSING_GROUP = "webhook-deliveries";

    private final WebhookDeliveries deliveries;
    private final WebhookEndpointReadModel endpoints;

    public WebhookFanOut(WebhookDeliveries deliveries, WebhookEndpointReadModel endpoints) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
    }

    @EventHandler
    void on(Object event, @MessageIdentifier String eventId) {
        if (WebhookEventType.of(event.getClass()).isEmpty()) {
            return;
        }
        // Written with the read model: where the read models track the store on their own (a query-side process),
        // the body may not be there yet; failing makes the processor try this event again shortly.
        RecordedEvent recorded = deliveries.findEvent(eventId).orElseThrow(() -> new IllegalStateException(
                "webhook event " + eventId + " not recorded yet: its read model has not taken it"));
        for (StoredEndpoint endpoint : endpoints.findEnabledByAccount(recorded.accountId())) {
            if (endpoint.receives(recorded.type())) {
                deliveries.addDelivery(endpoint.response().id(), eventId, recorded.type());
            }
        }
    }
}
