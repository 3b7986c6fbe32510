package com.bankaccounts.api.connectionintent;

/**
 * {@code encryptedCodeVerifier} is AES-GCM ciphertext of the PKCE verifier. {@code redirectUri} is the client's (or
 * none); {@code providerRedirectUri} the one the provider was sent, its configured default when the client gave none,
 * which the code's exchange must send again (null in events stored before it was kept).
 */
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
                                           String authorizationUrl,
                                           String providerRedirectUri) {
}
