package com.bankaccounts.api.connectionintent;

/** The user refused the consent; the intent can no longer be authorized. */
public record ConnectionIntentDeclinedEvent(String connectionIntentId, String reason) {
}
