package com.bankaccounts.api.webhook;

public record FindWebhookEndpointQuery(String webhookEndpointId) {
}
