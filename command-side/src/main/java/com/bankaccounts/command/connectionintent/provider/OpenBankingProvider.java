package com.bankaccounts.command.connectionintent.provider;

import java.util.List;

/** The port to a third party that holds the user's bank accounts: the sandbox for test intents, OAuth 2.0 for live. */
public interface OpenBankingProvider {

    /** Where the user goes to consent; the state and PKCE challenge bind the answer to this intent. */
    String authorizationUrl(AuthorizationRequest request);

    /**
     * Exchanges the code once for a grant.
     *
     * @throws AuthorizationCodeRejectedException the provider refused the code (it will never work)
     * @throws ProviderFailureException the provider could not be reached or answered nonsense (retry may work)
     */
    ProviderGrant exchange(CodeExchange exchange);

    /** The bank accounts the grant gives access to. */
    List<ProviderAccount> accounts(ProviderGrant grant);

    record AuthorizationRequest(String connectionIntentId, String state, String codeChallenge, String redirectUri,
                                boolean paymentConsent, String baseUrl) {
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
