package com.bankaccounts.command.connectionintent.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;

/** How the token endpoint fails: a refused code, an error or a malformed answer (502), too slow or gone (503). */
class OAuth2ProviderExchangeFailureTest extends MockProviderTest {

    @Test
    void anotherOAuthErrorIsAProviderError() {
        server.enqueue(json(400, "{\"error\":\"invalid_client\"}"));

        assertProviderError(() -> provider.exchange(exchange(null)));
    }

    /** The error code is logged only as RFC 6749 allows one: a line break in it would forge a log line. */
    @Test
    void anErrorCodeIsLoggedOnlyAsOAuthAllowsIt() {
        assertThat(OAuth2Provider.loggableErrorCode("invalid_client")).isEqualTo("invalid_client");
        assertThat(OAuth2Provider.loggableErrorCode(null)).isNull();
        for (String forged : new String[] {"x\n2026-12-07 INFO forged", "a\"b", "a\\b", "", "x".repeat(65),
                "caf\u00e9"}) {
            assertThat(OAuth2Provider.loggableErrorCode(forged)).as(forged).isEqualTo("(malformed error code)");
        }
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
        server.enqueue(json(200, grantJson()).setHeadersDelay(3000, TimeUnit.MILLISECONDS));

        long started = System.nanoTime();
        assertProviderUnavailable(() -> provider.exchange(exchange(null)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void aTokenEndpointThatNeverAnswersIsUnavailable() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

        assertProviderUnavailable(() -> provider.exchange(exchange(null)));
    }

    @Test
    void aTokenResponseBodySlowerThanTheReadTimeoutIsUnavailable() {
        server.enqueue(json(200, grantJson()).setBodyDelay(3000, TimeUnit.MILLISECONDS));

        long started = System.nanoTime();
        Throwable thrown = catchThrowable(() -> provider.exchange(exchange(null)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(thrown)
                .as("the read timeout bounds the body too, not only the wait for the headers: a provider that "
                        + "answers headers and then stalls must not hold the authorize command (and the intent's "
                        + "lock); took %s with a read timeout of %s, answered %s", took, READ_TIMEOUT, thrown)
                .isInstanceOf(ProviderFailureException.class)
                .hasMessage("PROVIDER_UNAVAILABLE");
        assertThat(took).isLessThan(Duration.ofMillis(2500));
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
}
