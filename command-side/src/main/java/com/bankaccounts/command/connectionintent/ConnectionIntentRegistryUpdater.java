package com.bankaccounts.command.connectionintent;

import com.bankaccounts.api.connectionintent.ConnectionIntentAuthorizedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentDeclinedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentFailedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/** Keeps the registry in step with the intent, in the same transaction as its events (subscribing). */
@Component
@ProcessingGroup(ConnectionIntentRegistryUpdater.PROCESSING_GROUP)
public class ConnectionIntentRegistryUpdater {

    public static final String PROCESSING_GROUP = "connection-intent-registry";

    private final ConnectionIntentRegistry registry;

    public ConnectionIntentRegistryUpdater(ConnectionIntentRegistry registry) {
        this.registry = registry;
    }

    @EventHandler
    void on(ConnectionIntentCreatedEvent event) {
        registry.insert(event);
    }

    @EventHandler
    void on(ConnectionIntentAuthorizedEvent event) {
        registry.moveTo(event.connectionIntentId(), ConnectionIntentResponse.STATUS_AUTHORIZED);
    }

    @EventHandler
    void on(ConnectionIntentFailedEvent event) {
        registry.moveTo(event.connectionIntentId(), ConnectionIntentResponse.STATUS_FAILED);
    }

    @EventHandler
    void on(ConnectionIntentDeclinedEvent event) {
        registry.moveTo(event.connectionIntentId(), ConnectionIntentResponse.STATUS_DECLINED);
    }
}
