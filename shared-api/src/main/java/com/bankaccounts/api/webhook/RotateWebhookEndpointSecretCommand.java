package com.bankaccounts.api.webhook;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A new signing secret, already encrypted; the current one keeps signing beside it until
 * {@code previousSecretExpiresAt} (at once when that is not in the future).
 */
public record RotateWebhookEndpointSecretCommand(@TargetAggregateIdentifier String webhookEndpointId,
                                                 String encryptedSecret,
                                                 Instant previousSecretExpiresAt) {
}
