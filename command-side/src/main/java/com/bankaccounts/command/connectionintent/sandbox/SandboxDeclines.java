package com.bankaccounts.command.connectionintent.sandbox;

import com.bankaccounts.api.connectionintent.ConnectionIntentDeclinedEvent;
import com.bankaccounts.command.connectionintent.ConnectionIntentRegistryUpdater;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Closes the sandbox bank's consent link of a declined intent, however it was declined (Deny on the page, or the
 * client reporting {@code access_denied}), in the same transaction as the event: the registry's subscribing group.
 */
@Component
@ProcessingGroup(ConnectionIntentRegistryUpdater.PROCESSING_GROUP)
class SandboxDeclines {

    private final SandboxConsents consents;

    SandboxDeclines(SandboxConsents consents) {
        this.consents = consents;
    }

    @EventHandler
    void on(ConnectionIntentDeclinedEvent event) {
        consents.markDeclined(event.connectionIntentId());
    }
}
