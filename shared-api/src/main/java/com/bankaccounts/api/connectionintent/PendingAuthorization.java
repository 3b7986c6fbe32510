package com.bankaccounts.api.connectionintent;

/** What the code exchange needs of an intent that may still be authorized. */
public record PendingAuthorization(String connectionIntentId, String accountId, ConnectionIntentType type,
                                   boolean test, String bankAccountId, PaymentConsentTerms paymentTerms,
                                   String redirectUri, String encryptedCodeVerifier) {
}
