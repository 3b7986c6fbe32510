package com.bankaccounts.command.connectionintent.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.AuthorizationRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the user is sent to consent: the code flow with PKCE, the state, the redirect URI and the scope. */
class OAuth2ProviderAuthorizationUrlTest extends MockProviderTest {

    @Test
    void theAuthorizationUrlStartsTheCodeFlowAtTheConfiguredEndpoint() {
        URI url = URI.create(provider.authorizationUrl(accountsRequest(null)));

        assertThat(url.getScheme() + "://" + url.getAuthority() + url.getPath())
                .isEqualTo(server.url("/authorize").toString());
        Map<String, String> query = decodeForm(url.getRawQuery());
        assertThat(query).containsEntry("response_type", "code")
                .containsEntry("client_id", CLIENT_ID)
                .containsEntry("state", STATE);
    }

    @Test
    void theAuthorizationUrlCarriesTheS256ChallengeOfTheVerifier() {
        Map<String, String> query = authorizationQuery(accountsRequest(null));

        assertThat(query).containsEntry("code_challenge", Pkce.challengeOf(VERIFIER))
                .containsEntry("code_challenge_method", "S256")
                .doesNotContainKey("code_verifier");
    }

    @Test
    void theAuthorizationUrlUsesTheConfiguredRedirectUriByDefault() {
        assertThat(authorizationQuery(accountsRequest(null))).containsEntry("redirect_uri", DEFAULT_REDIRECT_URI);
    }

    @Test
    void theAuthorizationUrlUsesTheIntentsRedirectUriWhenItHasOne() {
        assertThat(authorizationQuery(accountsRequest(INTENT_REDIRECT_URI)))
                .containsEntry("redirect_uri", INTENT_REDIRECT_URI);
    }

    @Test
    void anAccountInformationConsentAsksForTheAccountsScope() {
        assertThat(authorizationQuery(accountsRequest(null))).containsEntry("scope", "accounts");
    }

    @Test
    void aPaymentConsentAsksForThePaymentsScope() {
        AuthorizationRequest request = new AuthorizationRequest(INTENT_ID, STATE, Pkce.challengeOf(VERIFIER), null,
                true, null);

        assertThat(authorizationQuery(request)).containsEntry("scope", "payments");
    }

    @Test
    void configuredScopesAreUsedAndEncoded() {
        OAuth2Provider scoped = new OAuth2Provider(properties(CLIENT_SECRET, "openid accounts:read", null));

        assertThat(decodeForm(URI.create(scoped.authorizationUrl(accountsRequest(null))).getRawQuery()))
                .containsEntry("scope", "openid accounts:read");
    }

    @Test
    void anAuthorizeUrlWithAQueryIsExtendedRatherThanBroken() {
        String authorizeUrl = server.url("/authorize").toString() + "?tenant=nz";
        OAuth2Provider withQuery = new OAuth2Provider(new OAuth2ProviderProperties(authorizeUrl,
                server.url("/token").toString(), server.url("/accounts").toString(), CLIENT_ID, CLIENT_SECRET,
                DEFAULT_REDIRECT_URI, null, null, Duration.ofSeconds(2), READ_TIMEOUT));

        Map<String, String> query = decodeForm(URI.create(withQuery.authorizationUrl(accountsRequest(null)))
                .getRawQuery());

        assertThat(query).containsEntry("tenant", "nz").containsEntry("response_type", "code")
                .containsEntry("state", STATE);
    }
}
