package com.bankaccounts.api.webhook;

import java.time.Duration;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A new signing secret, already encrypted; the current one keeps signing beside it for {@code previousSecretValidFor}
 * (zero: it stops at once).
 */
public record RotateWebhookEndpointSecretCommand(@TargetAggregateIdentifier String webhookEndpointId,
                                                 String encryptedSecret,
                                                 Duration previousSecretValidFor) {
}
