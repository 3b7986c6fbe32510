package com.bankaccounts.command.connectionintent.provider;

import static com.bankaccounts.command.connectionintent.provider.AuthorizationServer.CLIENT_ID;
import static com.bankaccounts.command.connectionintent.provider.AuthorizationServer.CLIENT_SECRET;
import static com.bankaccounts.command.connectionintent.provider.AuthorizationServer.CLIENT_WITHOUT_REFRESH_TOKENS;
import static com.bankaccounts.command.connectionintent.provider.AuthorizationServer.SECRET_WITHOUT_REFRESH_TOKENS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.AuthorizationRequest;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.CodeExchange;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderAccount;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderGrant;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The provider against a real authorization server (Spring Authorization Server), driven as a browser would: sign
 * in, consent, the code on the redirect; then the code exchanged with PKCE and a client secret holding {@code +} and
 * {@code /}, and the accounts read with the access token.
 */
class OAuth2ProviderAuthorizationServerTest {

    private static final String INTENT_ID = "3KVjuKW2CZCJeJVqPxwkX7";

    private static AuthorizationServer server;

    @BeforeAll
    static void startServer() {
        server = AuthorizationServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void theCodeFlowConnectsTheAccountsWithASecretHoldingPlusAndSlash() throws Exception {
        OAuth2Provider provider = new OAuth2Provider(server.providerProperties(CLIENT_ID, CLIENT_SECRET));
        Consent consent = consent(provider);

        ProviderGrant grant = provider.exchange(consent.exchange());

        assertThat(grant.accessToken()).isNotBlank();
        assertThat(grant.refreshToken()).isNotBlank();
        assertThat(grant.consentId()).as("no standard server sends a consent_id").isNull();
        assertThat(provider.accounts(grant)).containsExactly(
                new ProviderAccount("01-0902-0068389-000", "Everyday Account"),
                new ProviderAccount("12-3140-0123456-00", "Online Saver"));
    }

    @Test
    void theServerRefusesTheClientCredentialsUnlessTheyAreFormEncodedBeforeBasic() throws Exception {
        OAuth2Provider provider = new OAuth2Provider(server.providerProperties(CLIENT_ID, CLIENT_SECRET));
        Consent consent = consent(provider);

        HttpResponse<String> unencoded = exchangeWithBasic(consent, CLIENT_ID + ":" + CLIENT_SECRET);

        assertThat(unencoded.statusCode()).isEqualTo(401);
        assertThat(unencoded.body()).contains("invalid_client");
        assertThat(provider.exchange(consent.exchange()).accessToken())
                .as("the refused request did not spend the code").isNotBlank();
    }

    @Test
    void aServerThatIssuesNoRefreshTokenStillGrantsAndItsAccountsAreRead() throws Exception {
        OAuth2Provider provider = new OAuth2Provider(
                server.providerProperties(CLIENT_WITHOUT_REFRESH_TOKENS, SECRET_WITHOUT_REFRESH_TOKENS));
        Consent consent = consent(provider);

        ProviderGrant grant = provider.exchange(consent.exchange());

        assertThat(grant.refreshToken()).isNull();
        assertThat(provider.accounts(grant)).hasSize(2);
    }

    @Test
    void aSpentCodeIsRejected() throws Exception {
        OAuth2Provider provider = new OAuth2Provider(server.providerProperties(CLIENT_ID, CLIENT_SECRET));
        Consent consent = consent(provider);
        provider.exchange(consent.exchange());

        assertThatExceptionOfType(AuthorizationCodeRejectedException.class)
                .isThrownBy(() -> provider.exchange(consent.exchange()));
    }

    @Test
    void aCodeWithTheWrongVerifierIsRejected() throws Exception {
        OAuth2Provider provider = new OAuth2Provider(server.providerProperties(CLIENT_ID, CLIENT_SECRET));
        Consent consent = consent(provider);

        assertThatExceptionOfType(AuthorizationCodeRejectedException.class)
                .isThrownBy(() -> provider.exchange(new CodeExchange(INTENT_ID, consent.code(), Pkce.randomToken(),
                        null)));
    }

    private record Consent(String code, String verifier) {
        CodeExchange exchange() {
            return new CodeExchange(INTENT_ID, code, verifier, null);
        }
    }

    private static Consent consent(OAuth2Provider provider) throws Exception {
        String verifier = Pkce.randomToken();
        String state = Pkce.randomToken();
        String authorizationUrl = provider.authorizationUrl(new AuthorizationRequest(INTENT_ID, state,
                Pkce.challengeOf(verifier), null, false, null));

        URI redirect = server.signInAndConsent(authorizationUrl);

        var query = UriComponentsBuilder.fromUri(redirect).build().getQueryParams();
        assertThat(redirect.toString()).startsWith(AuthorizationServer.REDIRECT_URI + "?");
        assertThat(query.getFirst("state")).isEqualTo(state);
        assertThat(query.getFirst("code")).isNotBlank();
        return new Consent(URLDecoder.decode(query.getFirst("code"), StandardCharsets.UTF_8), verifier);
    }

    /** The token request as the provider made it before: id and secret put in Basic as they are. */
    private static HttpResponse<String> exchangeWithBasic(Consent consent, String credentials) throws Exception {
        String form = "grant_type=authorization_code&code=" + URLEncoder.encode(consent.code(), StandardCharsets.UTF_8)
                + "&redirect_uri=" + URLEncoder.encode(AuthorizationServer.REDIRECT_URI, StandardCharsets.UTF_8)
                + "&code_verifier=" + consent.verifier() + "&client_id=" + CLIENT_ID;
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
