package com.bankaccounts.api.webhook;

import java.time.Instant;

/**
 * The endpoint signs with {@code encryptedSecret} (encrypted, as at creation) from now on, and with the secret it had
 * before beside it until {@code previousSecretExpiresAt}; null: the secret it had stops at once. A secret older than
 * the one it had no longer signs.
 */
public record WebhookEndpointSecretRotatedEvent(String webhookEndpointId,
                                                String encryptedSecret,
                                                Instant previousSecretExpiresAt) {
}
