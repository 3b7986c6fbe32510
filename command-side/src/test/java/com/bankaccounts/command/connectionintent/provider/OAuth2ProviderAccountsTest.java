package com.bankaccounts.command.connectionintent.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderAccount;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderGrant;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Reading the accounts with the access token, and how that fails. */
class OAuth2ProviderAccountsTest extends MockProviderTest {

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
    void onlyAnUnauthorizedAccountsAnswerRefusesTheAccessToken() {
        server.enqueue(json(401, "{\"error\":\"invalid_token\"}"));
        server.enqueue(json(403, "{\"error\":\"insufficient_scope\"}"));

        assertThatExceptionOfType(AccessTokenRejectedException.class).isThrownBy(() -> provider.accounts(grant()));
        assertThatExceptionOfType(ProviderFailureException.class).isThrownBy(() -> provider.accounts(grant()))
                .isNotInstanceOf(AccessTokenRejectedException.class);
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
        server.enqueue(json(200, "{\"accounts\":[]}").setHeadersDelay(3000, TimeUnit.MILLISECONDS));

        assertProviderUnavailable(() -> provider.accounts(grant()));
    }

    @Test
    void anUnreachableAccountsEndpointIsUnavailable() throws IOException {
        server.shutdown();

        assertProviderUnavailable(() -> provider.accounts(grant()));
    }
}
