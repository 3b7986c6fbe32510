package com.bankaccounts.query.webhook;

import com.bankaccounts.api.webhook.WebhookEventType;
import com.bankaccounts.api.webhook.WebhookEventType.Resource;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;

/**
 * A read model's processor only takes the events one of its handlers handles, and only those pass its interceptors.
 * This handler does nothing, but takes every webhook type of the read model's resource, so the webhook recorder also
 * sees a type its projection does not handle (none today). It claims no other
 * event: a processor that took every event deserialized and handled each one, and a query-side process catching up
 * ran each of its read models over the whole store. Rebuilds run the projection alone.
 */
final class WebhookRecordingTrigger implements EventMessageHandler {

    private final Resource resource;

    WebhookRecordingTrigger(Resource resource) {
        this.resource = resource;
    }

    @Override
    public Object handle(EventMessage<?> event) {
        return null;
    }

    @Override
    public boolean canHandle(EventMessage<?> event) {
        return canHandleType(event.getPayloadType());
    }

    @Override
    public boolean canHandleType(Class<?> payloadType) {
        return WebhookEventType.of(payloadType).map(type -> type.resource() == resource).orElse(false);
    }
}
