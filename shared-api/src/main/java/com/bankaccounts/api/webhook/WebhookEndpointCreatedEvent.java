package com.bankaccounts.api.webhook;

import java.util.List;

/** {@code eventTypes} null means every type; {@code encryptedSecret} is the signing secret, encrypted. */
public record WebhookEndpointCreatedEvent(String webhookEndpointId,
                                          String accountId,
                                          String url,
                                          List<String> eventTypes,
                                          String description,
                                          String encryptedSecret,
                                          boolean test) {
}
