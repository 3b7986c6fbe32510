package com.bankaccounts.api.connectionintent;

/** {@code encryptedCodeVerifier} is AES-GCM ciphertext of the PKCE verifier. */
public record ConnectionIntentCreatedEvent(String connectionIntentId,
                                           String accountId,
                                           ConnectionIntentType type,
                                           String requestedType,
                                           boolean legacyRequest,
                                           boolean test,
                                           String bankAccountId,
                                           PaymentConsentTerms paymentTerms,
                                           String redirectUri,
                                           String state,
                                           String encryptedCodeVerifier,
                                           String authorizationUrl) {
}
