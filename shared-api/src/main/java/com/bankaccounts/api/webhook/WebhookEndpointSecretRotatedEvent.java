package com.bankaccounts.api.webhook;

import java.time.Instant;

/**
 * The endpoint signs with {@code encryptedSecret} (encrypted, as at creation) from now on, and with the secret it had
 * before beside it until {@code previousSecretExpiresAt}; a secret older than that no longer signs.
 */
public record WebhookEndpointSecretRotatedEvent(String webhookEndpointId,
                                                String encryptedSecret,
                                                Instant previousSecretExpiresAt) {
}
