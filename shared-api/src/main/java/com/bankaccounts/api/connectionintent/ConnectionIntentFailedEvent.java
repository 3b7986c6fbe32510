package com.bankaccounts.api.connectionintent;

/** The provider refused the authorization code. */
public record ConnectionIntentFailedEvent(String connectionIntentId, String reason) {
}
