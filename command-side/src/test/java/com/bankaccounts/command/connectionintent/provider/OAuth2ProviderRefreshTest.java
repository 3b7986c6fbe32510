package com.bankaccounts.command.connectionintent.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderGrant;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** A new access token for a refresh token (RFC 6749 section 6): the form, the authentication, the answer. */
class OAuth2ProviderRefreshTest extends MockProviderTest {

    @Test
    void theRefreshPostsTheRefreshTokenAuthenticatedAsTheExchangeIs() throws InterruptedException {
        server.enqueue(json(200, grantJson()));

        provider.refresh("rt-old");

        RecordedRequest request = takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/token");
        assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(decodeForm(request.getBody().readUtf8())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "grant_type", "refresh_token",
                "refresh_token", "rt-old",
                "client_id", CLIENT_ID));
        assertThat(request.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theAnswerGivesTheNewAccessTokenAndTheRefreshTokenIssuedInPlaceOfTheOld() {
        server.enqueue(json(200, grantJson()));

        assertThat(provider.refresh("rt-old")).isEqualTo(new ProviderGrant("at-123", "rt-456", "consent-789"));
    }

    @Test
    void anAnswerWithoutARefreshTokenLeavesTheOldOne() {
        server.enqueue(json(200, "{\"access_token\":\"at-new\",\"token_type\":\"Bearer\"}"));

        assertThat(provider.refresh("rt-old")).isEqualTo(new ProviderGrant("at-new", null, null));
    }

    @Test
    void aRefusedRefreshTokenIsAProviderErrorNotARefusedCode() {
        server.enqueue(json(400, "{\"error\":\"invalid_grant\"}"));

        assertProviderError(() -> provider.refresh("rt-old"));
    }

    @Test
    void anAnswerWithoutAnAccessTokenIsAProviderError() {
        server.enqueue(json(200, "{\"refresh_token\":\"rt-new\"}"));

        assertProviderError(() -> provider.refresh("rt-old"));
    }

    @Test
    void aServerErrorIsAProviderError() {
        server.enqueue(json(500, "{\"error\":\"server_error\"}"));

        assertProviderError(() -> provider.refresh("rt-old"));
    }
}
