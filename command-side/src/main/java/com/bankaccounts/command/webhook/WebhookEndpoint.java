package com.bankaccounts.command.webhook;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.webhook.CreateWebhookEndpointCommand;
import com.bankaccounts.api.webhook.DisableWebhookEndpointCommand;
import com.bankaccounts.api.webhook.RotateWebhookEndpointSecretCommand;
import com.bankaccounts.api.webhook.WebhookEndpointCreatedEvent;
import com.bankaccounts.api.webhook.WebhookEndpointDisabledEvent;
import com.bankaccounts.api.webhook.WebhookEndpointSecretRotatedEvent;
import java.time.Duration;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * Where an account's events are pushed. It decides only whether it may exist and whether it is still enabled (and so
 * whether its secret may be rotated).
 */
@Aggregate
public class WebhookEndpoint {

    @AggregateIdentifier
    private String webhookEndpointId;
    private boolean enabled;

    protected WebhookEndpoint() {
    }

    /** The registry counts the account's enabled endpoints under the account's row lock, so the limit holds. */
    @CommandHandler
    WebhookEndpoint(CreateWebhookEndpointCommand command, WebhookEndpointRegistry registry) {
        if (!registry.claim(command.webhookEndpointId(), command.accountId())) {
            throw new BusinessRuleException(ErrorCode.WEBHOOK_ENDPOINT_LIMIT_EXCEEDED);
        }
        apply(new WebhookEndpointCreatedEvent(command.webhookEndpointId(), command.accountId(), command.url(),
                command.eventTypes(), command.description(), command.encryptedSecret(), command.test()));
    }

    @CommandHandler
    void handle(DisableWebhookEndpointCommand command) {
        if (!enabled) {
            throw new BusinessRuleException(ErrorCode.WEBHOOK_ENDPOINT_ALREADY_DISABLED);
        }
        apply(new WebhookEndpointDisabledEvent(webhookEndpointId));
    }

    /** A disabled endpoint sends nothing more, so it has nothing to sign. */
    @CommandHandler
    void handle(RotateWebhookEndpointSecretCommand command) {
        if (!enabled) {
            throw new BusinessRuleException(ErrorCode.WEBHOOK_ENDPOINT_ALREADY_DISABLED);
        }
        Duration overlap = command.previousSecretValidFor();
        apply(new WebhookEndpointSecretRotatedEvent(webhookEndpointId, command.encryptedSecret(),
                overlap.isZero() ? null : GenericEventMessage.clock.instant().plus(overlap)));
    }

    @EventSourcingHandler
    void on(WebhookEndpointCreatedEvent event) {
        webhookEndpointId = event.webhookEndpointId();
        enabled = true;
    }

    @EventSourcingHandler
    void on(WebhookEndpointDisabledEvent event) {
        enabled = false;
    }
}
