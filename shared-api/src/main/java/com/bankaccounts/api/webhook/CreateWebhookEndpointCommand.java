package com.bankaccounts.api.webhook;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * {@code eventTypes} null means every type. {@code encryptedSecret} is the signing secret already encrypted (the
 * event store never holds it in clear).
 */
public record CreateWebhookEndpointCommand(@TargetAggregateIdentifier String webhookEndpointId,
                                           String accountId,
                                           String url,
                                           List<String> eventTypes,
                                           String description,
                                           String encryptedSecret,
                                           boolean test) {
}
