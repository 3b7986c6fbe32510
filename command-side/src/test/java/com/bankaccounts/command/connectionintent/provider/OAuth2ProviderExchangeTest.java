package com.bankaccounts.command.connectionintent.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.CodeExchange;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderGrant;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The one code exchange: the form, the client authentication and the grant the answer maps to. */
class OAuth2ProviderExchangeTest extends MockProviderTest {

    @Test
    void theExchangePostsTheCodeVerifierAndRedirectUriAsAForm() throws InterruptedException {
        server.enqueue(json(200, grantJson()));

        provider.exchange(exchange(null));

        RecordedRequest request = takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/token");
        assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(decodeForm(request.getBody().readUtf8())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "grant_type", "authorization_code",
                "code", CODE,
                "redirect_uri", DEFAULT_REDIRECT_URI,
                "code_verifier", VERIFIER,
                "client_id", CLIENT_ID));
    }

    @Test
    void theExchangeAuthenticatesTheClientWithHttpBasic() throws InterruptedException {
        server.enqueue(json(200, grantJson()));

        provider.exchange(exchange(null));

        String expected = Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        assertThat(takeRequest().getHeader("Authorization")).isEqualTo("Basic " + expected);
    }

    @Test
    void theClientIdAndSecretAreFormEncodedBeforeBasic() throws InterruptedException {
        server.enqueue(json(200, grantJson()));
        String clientId = "client 1:é";
        String secret = "s+cr/t=%x";
        OAuth2Provider reserved = new OAuth2Provider(new OAuth2ProviderProperties(server.url("/authorize").toString(),
                server.url("/token").toString(), server.url("/accounts").toString(), clientId, secret,
                DEFAULT_REDIRECT_URI, null, null, Duration.ofSeconds(2), READ_TIMEOUT));

        reserved.exchange(exchange(null));

        String basic = new String(Base64.getDecoder().decode(
                takeRequest().getHeader("Authorization").substring("Basic ".length())), StandardCharsets.UTF_8);
        assertThat(basic).isEqualTo("client+1%3A%C3%A9:s%2Bcr%2Ft%3D%25x");
    }

    @Test
    void aPublicClientSendsNoAuthorizationHeader() throws InterruptedException {
        server.enqueue(json(200, grantJson()));
        OAuth2Provider publicClient = new OAuth2Provider(properties(null, null, null));

        publicClient.exchange(exchange(null));

        RecordedRequest request = takeRequest();
        assertThat(request.getHeader("Authorization")).isNull();
        assertThat(decodeForm(request.getBody().readUtf8())).containsEntry("client_id", CLIENT_ID);
    }

    @Test
    void theExchangeSendsTheIntentsRedirectUriWhenItHasOne() throws InterruptedException {
        server.enqueue(json(200, grantJson()));

        provider.exchange(exchange(INTENT_REDIRECT_URI));

        assertThat(decodeForm(takeRequest().getBody().readUtf8()))
                .containsEntry("redirect_uri", INTENT_REDIRECT_URI);
    }

    @Test
    void codesWithReservedCharactersArriveIntact() throws InterruptedException {
        server.enqueue(json(200, grantJson()));
        String code = "a+b/c=d&e f";

        provider.exchange(new CodeExchange(INTENT_ID, code, VERIFIER, null));

        assertThat(decodeForm(takeRequest().getBody().readUtf8())).containsEntry("code", code);
    }

    @Test
    void aSuccessfulExchangeIsAGrant() {
        server.enqueue(json(200, grantJson()));

        ProviderGrant grant = provider.exchange(exchange(null));

        assertThat(grant).isEqualTo(new ProviderGrant("at-123", "rt-456", "consent-789"));
    }

    @Test
    void aGrantWithoutAConsentIdHasNone() {
        server.enqueue(json(200, "{\"access_token\":\"at-123\",\"refresh_token\":\"rt-456\",\"token_type\":\"Bearer\"}"));

        assertThat(provider.exchange(exchange(null))).isEqualTo(new ProviderGrant("at-123", "rt-456", null));
    }

    @Test
    void anInvalidGrantIsARejectedCode() {
        server.enqueue(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"code expired\"}"));

        assertThatExceptionOfType(AuthorizationCodeRejectedException.class)
                .isThrownBy(() -> provider.exchange(exchange(null)))
                .withMessage("invalid_grant");
    }

    @Test
    void anInvalidGrantAnsweredWith401IsARejectedCodeToo() {
        server.enqueue(json(401, "{\"error\":\"invalid_grant\"}"));

        assertThatExceptionOfType(AuthorizationCodeRejectedException.class)
                .isThrownBy(() -> provider.exchange(exchange(null)));
    }

    @Test
    void aGrantWithoutARefreshTokenIsValidAndHasNone() {
        server.enqueue(json(200, "{\"access_token\":\"at-123\",\"token_type\":\"Bearer\",\"consent_id\":\"consent-789\"}"));

        assertThat(provider.exchange(exchange(null))).isEqualTo(new ProviderGrant("at-123", null, "consent-789"));
    }

    @Test
    void aBlankRefreshTokenOrConsentIdIsNone() {
        server.enqueue(json(200, "{\"access_token\":\"at-123\",\"refresh_token\":\"\",\"consent_id\":\" \"}"));

        assertThat(provider.exchange(exchange(null))).isEqualTo(new ProviderGrant("at-123", null, null));
    }
}
