package com.bankaccounts.api.webhook;

import java.util.List;

/**
 * A webhook endpoint as the API shows it. {@code eventTypes} is left out when the endpoint receives every type;
 * {@code secret} is present only in the answer to its creation or to a rotation of its secret;
 * {@code previousSecretExpiresAt} only while a secret from before a rotation still signs beside the current one: when
 * the last of them stops.
 */
public record WebhookEndpointResponse(String id,
                                      String accountId,
                                      String url,
                                      List<String> eventTypes,
                                      String description,
                                      boolean enabled,
                                      String secret,
                                      String previousSecretExpiresAt,
                                      String createdAt,
                                      String createdBy) {

    public WebhookEndpointResponse withSecret(String shownOnce) {
        return new WebhookEndpointResponse(id, accountId, url, eventTypes, description, enabled, shownOnce,
                previousSecretExpiresAt, createdAt, createdBy);
    }
}
