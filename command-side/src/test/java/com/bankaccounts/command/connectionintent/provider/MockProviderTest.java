package com.bankaccounts.command.connectionintent.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.AuthorizationRequest;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.CodeExchange;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderGrant;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/** An {@link OAuth2Provider} in front of a scripted provider (MockWebServer), and what its tests share. */
@Timeout(value = 8, unit = TimeUnit.SECONDS)
abstract class MockProviderTest {

    static final String CLIENT_ID = "client-1";
    static final String CLIENT_SECRET = "secret-1";
    static final String DEFAULT_REDIRECT_URI = "https://app.example/callback";
    static final String INTENT_REDIRECT_URI = "https://merchant.example/return?from=bank&x=1";
    static final String INTENT_ID = "3KVjuKW2CZCJeJVqPxwkX7";
    static final String STATE = "st4te-Value_1";
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String CODE = "hKpKupTM391pE10xfQiorMxXarRKAHRhTfH_x";
    static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

    MockWebServer server;
    OAuth2Provider provider;

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

    OAuth2ProviderProperties properties(String clientSecret, String accountScope, String paymentScope) {
        return new OAuth2ProviderProperties(server.url("/authorize").toString(), server.url("/token").toString(),
                server.url("/accounts").toString(), CLIENT_ID, clientSecret, DEFAULT_REDIRECT_URI, accountScope,
                paymentScope, Duration.ofSeconds(2), READ_TIMEOUT);
    }

    Map<String, String> authorizationQuery(AuthorizationRequest request) {
        return decodeForm(URI.create(provider.authorizationUrl(request)).getRawQuery());
    }

    static AuthorizationRequest accountsRequest(String redirectUri) {
        return new AuthorizationRequest(INTENT_ID, STATE, Pkce.challengeOf(VERIFIER), redirectUri, false, null);
    }

    static CodeExchange exchange(String redirectUri) {
        return new CodeExchange(INTENT_ID, CODE, VERIFIER, redirectUri);
    }

    static ProviderGrant grant() {
        return new ProviderGrant("at-123", "rt-456", "consent-789");
    }

    static String grantJson() {
        return "{\"access_token\":\"at-123\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                + "\"refresh_token\":\"rt-456\",\"consent_id\":\"consent-789\"}";
    }

    static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody(body);
    }

    RecordedRequest takeRequest() throws InterruptedException {
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the provider").isNotNull();
        return request;
    }

    /** Decodes form-urlencoded pairs (a query string or a request body), keeping the first of repeated names. */
    static Map<String, String> decodeForm(String encoded) {
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

    static void assertProviderError(Runnable call) {
        assertProviderFailure(call, 502, "PROVIDER_ERROR");
    }

    static void assertProviderUnavailable(Runnable call) {
        assertProviderFailure(call, 503, "PROVIDER_UNAVAILABLE");
    }

    static void assertProviderFailure(Runnable call, int status, String message) {
        assertThatExceptionOfType(ProviderFailureException.class)
                .isThrownBy(call::run)
                .withMessage(message)
                .satisfies(failure -> assertThat(failure.status().value()).isEqualTo(status));
    }
}
