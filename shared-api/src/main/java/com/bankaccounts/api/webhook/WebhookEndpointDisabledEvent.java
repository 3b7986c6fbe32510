package com.bankaccounts.api.webhook;

public record WebhookEndpointDisabledEvent(String webhookEndpointId) {
}
