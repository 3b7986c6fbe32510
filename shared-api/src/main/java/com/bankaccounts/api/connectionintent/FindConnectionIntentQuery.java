package com.bankaccounts.api.connectionintent;

/** One intent as the face it was made on shows it (a bank account request for the older face); null when unknown. */
public record FindConnectionIntentQuery(String connectionIntentId) {
}
