package com.bankaccounts.api.webhook;

import java.time.Instant;

/**
 * The endpoint signs with {@code encryptedSecret} (encrypted, as at creation) from now on, and with the secret it had
 * before beside it until {@code previousSecretExpiresAt}, as the earlier ones still do until their own times; null:
 * the secret it had and every earlier one stop at once. (Before V28 the read model kept only the secret it had.)
 */
public record WebhookEndpointSecretRotatedEvent(String webhookEndpointId,
                                                String encryptedSecret,
                                                Instant previousSecretExpiresAt) {
}
