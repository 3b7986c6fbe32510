package com.bankaccounts.command.connectionintent.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.AuthorizationRequest;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.CodeExchange;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderAccount;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderGrant;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class OAuth2ProviderTest {

    private static final String CLIENT_ID = "client-1";
    private static final String CLIENT_SECRET = "secret-1";
    private static final String DEFAULT_REDIRECT_URI = "https://app.example/callback";
    private static final String INTENT_REDIRECT_URI = "https://merchant.example/return?from=bank&x=1";
    private static final String INTENT_ID = "3KVjuKW2CZCJeJVqPxwkX7";
    private static final String STATE = "st4te-Value_1";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CODE = "hKpKupTM391pE10xfQiorMxXarRKAHRhTfH_x";
    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);

    private MockWebServer server;
    private OAuth2Provider provider;

    @BeforeEach
    void startServer() throws IOException {
        server = new MockWebServer();
        server.start();
        provider = new OAuth2Provider(properties(CLIENT_SECRET, null, null));
    }

    @AfterEach
    void stopServer() throws IOException {
        server.shutdown();
    }

    // PKCE

    @Test
    void theChallengeIsTheRfc7636AppendixBExample() {
        assertThat(Pkce.challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void randomTokensAreUrlSafe43CharacterVerifiers() {
        String token = Pkce.randomToken();

        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Pkce.randomToken()).isNotEqualTo(token);
    }

    // The authorization URL

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

    // Exchanging the code

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
    void anotherOAuthErrorIsAProviderError() {
        server.enqueue(json(400, "{\"error\":\"invalid_client\"}"));

        assertProviderError(() -> provider.exchange(exchange(null)));
    }

    @Test
    void aBadRequestWithoutAJsonBodyIsAProviderError() {
        server.enqueue(new MockResponse().setResponseCode(400).setBody("<html>Bad Request</html>"));

        assertProviderError(() -> provider.exchange(exchange(null)));
    }

    @Test
    void aServerErrorIsAProviderError() {
        server.enqueue(json(500, "{\"error\":\"server_error\"}"));

        assertProviderError(() -> provider.exchange(exchange(null)));
    }

    @Test
    void aRedirectIsNotFollowedAndIsAProviderError() {
        server.enqueue(new MockResponse().setResponseCode(302)
                .setHeader("Location", server.url("/elsewhere").toString()));

        assertProviderError(() -> provider.exchange(exchange(null)));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void malformedJsonIsAProviderError() {
        server.enqueue(json(200, "{\"access_token\":\"at-123\","));

        assertProviderError(() -> provider.exchange(exchange(null)));
    }

    @Test
    void aJsonArrayIsAProviderError() {
        server.enqueue(json(200, "[\"at-123\"]"));

        assertProviderError(() -> provider.exchange(exchange(null)));
    }

    @Test
    void aGrantWithoutARefreshTokenIsAProviderError() {
        server.enqueue(json(200, "{\"access_token\":\"at-123\",\"consent_id\":\"consent-789\"}"));

        assertProviderError(() -> provider.exchange(exchange(null)));
    }

    @Test
    void aGrantWithABlankAccessTokenIsAProviderError() {
        server.enqueue(json(200, "{\"access_token\":\" \",\"refresh_token\":\"rt-456\"}"));

        assertProviderError(() -> provider.exchange(exchange(null)));
    }

    @Test
    void aGrantWithANonStringRefreshTokenIsAProviderError() {
        server.enqueue(json(200, "{\"access_token\":\"at-123\",\"refresh_token\":42}"));

        assertProviderError(() -> provider.exchange(exchange(null)));
    }

    @Test
    void aTokenEndpointSlowerThanTheReadTimeoutIsUnavailable() {
        server.enqueue(json(200, grantJson()).setHeadersDelay(1500, TimeUnit.MILLISECONDS));

        long started = System.nanoTime();
        assertProviderUnavailable(() -> provider.exchange(exchange(null)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1200));
    }

    @Test
    void aTokenEndpointThatNeverAnswersIsUnavailable() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

        assertProviderUnavailable(() -> provider.exchange(exchange(null)));
    }

    @Test
    void aTokenResponseBodySlowerThanTheReadTimeoutIsUnavailable() {
        server.enqueue(json(200, grantJson()).setBodyDelay(1500, TimeUnit.MILLISECONDS));

        long started = System.nanoTime();
        Throwable thrown = catchThrowable(() -> provider.exchange(exchange(null)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(thrown)
                .as("BUG: HttpRequest.timeout bounds only the wait for the response headers, not the body; a "
                        + "provider that answers headers and then stalls holds the authorize command (and the "
                        + "intent's lock) as long as it likes: took %s with a read timeout of %s, answered %s",
                        took, READ_TIMEOUT, thrown)
                .isInstanceOf(ProviderFailureException.class)
                .hasMessage("PROVIDER_UNAVAILABLE");
        assertThat(took).isLessThan(Duration.ofMillis(1200));
    }

    @Test
    void aConnectionDroppedMidResponseIsUnavailable() {
        server.enqueue(json(200, grantJson()).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

        assertProviderUnavailable(() -> provider.exchange(exchange(null)));
    }

    @Test
    void aRefusedConnectionIsUnavailable() throws IOException {
        server.shutdown();

        assertProviderUnavailable(() -> provider.exchange(exchange(null)));
    }

    // Reading the accounts

    @Test
    void theAccountsAreReadWithTheAccessTokenAsABearer() throws InterruptedException {
        server.enqueue(json(200, "{\"accounts\":[]}"));

        provider.accounts(new ProviderGrant("at-123", "rt-456", "consent-789"));

        RecordedRequest request = takeRequest();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getPath()).isEqualTo("/accounts");
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer at-123");
    }

    @Test
    void theAccountsAreParsedInOrder() {
        server.enqueue(json(200, """
                {"accounts": [
                  {"accountNumber": "01-0902-0068389-000", "name": "Everyday Account", "currency": "NZD"},
                  {"accountNumber": "12-3140-0123456-00", "name": "Online Saver"}
                ]}"""));

        assertThat(provider.accounts(grant())).containsExactly(
                new ProviderAccount("01-0902-0068389-000", "Everyday Account"),
                new ProviderAccount("12-3140-0123456-00", "Online Saver"));
    }

    @Test
    void noAccountsIsAnEmptyList() {
        server.enqueue(json(200, "{\"accounts\":[]}"));

        assertThat(provider.accounts(grant())).isEmpty();
    }

    @Test
    void anAccountsServerErrorIsAProviderError() {
        server.enqueue(json(500, "{\"error\":\"server_error\"}"));

        assertProviderError(() -> provider.accounts(grant()));
    }

    @Test
    void anUnauthorizedAccountsAnswerIsAProviderError() {
        server.enqueue(json(401, "{\"error\":\"invalid_token\"}"));

        assertProviderError(() -> provider.accounts(grant()));
    }

    @Test
    void anAccountWithoutANumberIsAProviderError() {
        server.enqueue(json(200, "{\"accounts\":[{\"name\":\"Everyday Account\"}]}"));

        assertProviderError(() -> provider.accounts(grant()));
    }

    @Test
    void anAccountWithoutANameIsAProviderError() {
        server.enqueue(json(200, "{\"accounts\":[{\"accountNumber\":\"01-0902-0068389-000\"}]}"));

        assertProviderError(() -> provider.accounts(grant()));
    }

    @Test
    void anAnswerWithoutAnAccountsArrayIsAProviderError() {
        server.enqueue(json(200, "{\"accounts\":{\"accountNumber\":\"01-0902-0068389-000\",\"name\":\"x\"}}"));

        assertProviderError(() -> provider.accounts(grant()));
    }

    @Test
    void malformedAccountsJsonIsAProviderError() {
        server.enqueue(json(200, "{\"accounts\":["));

        assertProviderError(() -> provider.accounts(grant()));
    }

    @Test
    void anAccountsEndpointSlowerThanTheReadTimeoutIsUnavailable() {
        server.enqueue(json(200, "{\"accounts\":[]}").setHeadersDelay(1500, TimeUnit.MILLISECONDS));

        assertProviderUnavailable(() -> provider.accounts(grant()));
    }

    @Test
    void anUnreachableAccountsEndpointIsUnavailable() throws IOException {
        server.shutdown();

        assertProviderUnavailable(() -> provider.accounts(grant()));
    }

    private OAuth2ProviderProperties properties(String clientSecret, String accountScope, String paymentScope) {
        return new OAuth2ProviderProperties(server.url("/authorize").toString(), server.url("/token").toString(),
                server.url("/accounts").toString(), CLIENT_ID, clientSecret, DEFAULT_REDIRECT_URI, accountScope,
                paymentScope, Duration.ofSeconds(2), READ_TIMEOUT);
    }

    private Map<String, String> authorizationQuery(AuthorizationRequest request) {
        return decodeForm(URI.create(provider.authorizationUrl(request)).getRawQuery());
    }

    private static AuthorizationRequest accountsRequest(String redirectUri) {
        return new AuthorizationRequest(INTENT_ID, STATE, Pkce.challengeOf(VERIFIER), redirectUri, false, null);
    }

    private static CodeExchange exchange(String redirectUri) {
        return new CodeExchange(INTENT_ID, CODE, VERIFIER, redirectUri);
    }

    private static ProviderGrant grant() {
        return new ProviderGrant("at-123", "rt-456", "consent-789");
    }

    private static String grantJson() {
        return "{\"access_token\":\"at-123\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                + "\"refresh_token\":\"rt-456\",\"consent_id\":\"consent-789\"}";
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody(body);
    }

    private RecordedRequest takeRequest() throws InterruptedException {
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the provider").isNotNull();
        return request;
    }

    /** Decodes form-urlencoded pairs (a query string or a request body), keeping the first of repeated names. */
    private static Map<String, String> decodeForm(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            values.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return values;
    }

    private static void assertProviderError(Runnable call) {
        assertProviderFailure(call, 502, "PROVIDER_ERROR");
    }

    private static void assertProviderUnavailable(Runnable call) {
        assertProviderFailure(call, 503, "PROVIDER_UNAVAILABLE");
    }

    private static void assertProviderFailure(Runnable call, int status, String message) {
        assertThatExceptionOfType(ProviderFailureException.class)
                .isThrownBy(call::run)
                .withMessage(message)
                .satisfies(failure -> assertThat(failure.status().value()).isEqualTo(status));
    }
}
