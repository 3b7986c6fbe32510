package com.bankaccounts.api.webhook;

import java.util.List;

/**
 * A webhook endpoint as the API shows it. {@code eventTypes} is left out when the endpoint receives every type;
 * {@code secret} is present only in the answer to its creation.
 */
public record WebhookEndpointResponse(String id,
                                      String accountId,
                                      String url,
                                      List<String> eventTypes,
                                      String description,
                                      boolean enabled,
                                      String secret,
                                      String createdAt,
                                      String createdBy) {

    public WebhookEndpointResponse withSecret(String shownOnce) {
        return new WebhookEndpointResponse(id, accountId, url, eventTypes, description, enabled, shownOnce, createdAt,
                createdBy);
    }
}
