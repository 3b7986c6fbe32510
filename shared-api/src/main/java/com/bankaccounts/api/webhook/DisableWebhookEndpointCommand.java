package com.bankaccounts.api.webhook;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record DisableWebhookEndpointCommand(@TargetAggregateIdentifier String webhookEndpointId) {
}
