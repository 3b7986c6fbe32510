package com.bankaccounts.command.connectionintent.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The revocation request (RFC 7009): the client authenticates as at the token endpoint, secret or none. */
class ProviderTokenRevokerTest extends MockProviderTest {

    @Test
    void aClientWithASecretRevokesWithHttpBasic() throws InterruptedException {
        RecordedRequest request = revoke(CLIENT_SECRET);

        assertThat(request.getPath()).isEqualTo("/revoke");
        assertThat(request.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));
        assertThat(decodeForm(request.getBody().readUtf8())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "token", "rt-456", "token_type_hint", "refresh_token", "client_id", CLIENT_ID));
    }

    @Test
    void aPublicClientRevokesWithItsIdInTheFormAndNoBasic() throws InterruptedException {
        // Basic with an empty secret is refused as invalid_client by servers that registered a public client.
        RecordedRequest request = revoke(null);

        assertThat(request.getHeader("Authorization")).isNull();
        assertThat(decodeForm(request.getBody().readUtf8())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "token", "rt-456", "token_type_hint", "refresh_token", "client_id", CLIENT_ID));
    }

    private RecordedRequest revoke(String clientSecret) throws InterruptedException {
        server.enqueue(new MockResponse().setResponseCode(200));
        new ProviderTokenRevoker(properties(clientSecret, null, null), server.url("/revoke").toString())
                .revoke("rt-456");
        return takeRequest();
    }
}
