package com.bankaccounts.command.connectionintent.provider;

import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import java.util.List;

/** The port to a third party that holds the user's bank accounts: the sandbox for test intents, OAuth 2.0 for live. */
public interface OpenBankingProvider {

    /** Where the user goes to consent; the state and PKCE challenge bind the answer to this intent. */
    String authorizationUrl(AuthorizationRequest request);

    /**
     * The redirect URI the provider is sent for an intent that asked for {@code requested} (null: none): kept with the
     * intent, since the code's exchange must send the very same one (RFC 6749 section 4.1.3).
     */
    default String redirectUri(String requested) {
        return requested;
    }

    /**
     * Exchanges the code once for a grant.
     *
     * @throws AuthorizationCodeRejectedException the provider refused the code (it will never work)
     * @throws ProviderFailureException the provider could not be reached or answered nonsense (retry may work)
     */
    ProviderGrant exchange(CodeExchange exchange);

    /**
     * The bank accounts the grant gives access to.
     *
     * @throws AccessTokenRejectedException the provider refused the access token (expired, say): a refresh may help
     * @throws ProviderFailureException the provider could not be reached or answered nonsense (retry may work)
     */
    List<ProviderAccount> accounts(ProviderGrant grant);

    /**
     * A new access token for a refresh token (RFC 6749 section 6). The grant's {@code refreshToken} is the one the
     * provider issued in its place, or null when it issued none (the one sent stays); its {@code consentId} is null
     * unless the provider named one. A provider whose access tokens do not expire need not implement it.
     *
     * @throws ProviderFailureException the provider refused the refresh token, could not be reached or answered
     *                                  nonsense
     */
    default ProviderGrant refresh(String refreshToken) {
        throw ProviderFailureException.error();
    }

    /** {@code businessName} and {@code paymentTerms} are what a bank shows the user on its consent page. */
    record AuthorizationRequest(String connectionIntentId, String state, String codeChallenge, String redirectUri,
                                boolean paymentConsent, String baseUrl, String businessName,
                                PaymentConsentTerms paymentTerms) {

        public AuthorizationRequest(String connectionIntentId, String state, String codeChallenge, String redirectUri,
                                    boolean paymentConsent, String baseUrl) {
            this(connectionIntentId, state, codeChallenge, redirectUri, paymentConsent, baseUrl, null, null);
        }
    }

    record CodeExchange(String connectionIntentId, String code, String codeVerifier, String redirectUri) {
        @Override
        public String toString() {
            return "CodeExchange[connectionIntentId=" + connectionIntentId + "]";
        }
    }

    /** {@code accessToken} is used at once and never stored; {@code refreshToken} only ever encrypted. */
    record ProviderGrant(String accessToken, String refreshToken, String consentId) {
        @Override
        public String toString() {
            return "ProviderGrant[consentId=" + consentId + "]";
        }
    }

    record ProviderAccount(String accountNumber, String name) {
    }
}
