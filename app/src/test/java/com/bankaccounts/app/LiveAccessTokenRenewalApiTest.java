package com.bankaccounts.app;

import static com.bankaccounts.app.LiveProvider.accessToken;
import static com.bankaccounts.app.LiveProvider.accountsAnswer;
import static com.bankaccounts.app.LiveProvider.json;
import static com.bankaccounts.app.LiveProvider.newCode;
import static com.bankaccounts.app.LiveProvider.refreshToken;
import static com.bankaccounts.app.LiveProvider.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.platform.testing.ApiClient;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;

/**
 * A grant kept for a retry whose access token the provider's accounts endpoint then refuses (it expired meanwhile):
 * the retry renews it once with the refresh token (RFC 6749 section 6) instead of failing until the grant is
 * abandoned.
 */
class LiveAccessTokenRenewalApiTest extends LiveProviderApiTestSupport {

    @Test
    void aRetryWhoseAccessTokenExpiredRenewsItAndKeepsTheRefreshTokenIssuedInItsPlace() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("renewed");
        String renewedAccess = "renewed-access-" + code;
        String renewedRefresh = "renewed-refresh-" + code;
        String number = liveNumber();
        keepExpiredGrant(account, intent, code, tokens(renewedAccess, renewedRefresh));
        PROVIDER.accounts(renewedAccess, accountsAnswer(Map.of("accountNumber", number, "name", "Everyday")));

        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));

        assertThat(statusOf(intent.id(), account)).isEqualTo("authorized");
        assertThat(PROVIDER.tokenRequests(code)).as("the spent code is not sent again").hasSize(1);
        List<LiveProvider.TokenRequest> refreshes = PROVIDER.tokenRequests(refreshToken(code));
        assertThat(refreshes).hasSize(1);
        assertThat(refreshes.get(0).form()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "grant_type", "refresh_token",
                "refresh_token", refreshToken(code),
                "client_id", LiveProvider.CLIENT_ID));
        assertThat(refreshes.get(0).request().getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString((LiveProvider.CLIENT_ID + ":" + LiveProvider.CLIENT_SECRET).getBytes()));

        String approvalId = consentOf(account, number);
        assertThat(api.get("/api/bank-account-approvals/" + approvalId, account.key()).text("refreshToken"))
                .as("the refresh token issued in place of the first").isEqualTo(renewedRefresh);

        assertThat(api.post("/api/bank-account-approvals/" + approvalId + "/revoke", account.key(),
                ApiClient.map("reason", "switched banks")).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(PROVIDER.revocationRequests(renewedRefresh)).hasSize(1));
        assertThat(PROVIDER.revocationRequests(refreshToken(code)))
                .as("the replaced refresh token is shredded, not revoked: that could revoke the grant").isEmpty();
    }

    @Test
    void aRenewalWithoutANewRefreshTokenKeepsTheFirst() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("renewed-same");
        String renewedAccess = "renewed-access-" + code;
        String number = liveNumber();
        keepExpiredGrant(account, intent, code, tokens(renewedAccess, null));
        PROVIDER.accounts(renewedAccess, accountsAnswer(Map.of("accountNumber", number, "name", "Everyday")));

        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));

        String approvalId = consentOf(account, number);
        assertThat(api.get("/api/bank-account-approvals/" + approvalId, account.key()).text("refreshToken"))
                .isEqualTo(refreshToken(code));
    }

    /** The renewed grant is kept for the next retry in place of the first: its access token is not renewed twice. */
    @Test
    void aRenewedGrantIsKeptForTheNextRetry() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("renewed-kept");
        String renewedAccess = "renewed-access-" + code;
        keepExpiredGrant(account, intent, code, tokens(renewedAccess, "renewed-refresh-" + code));
        PROVIDER.accounts(renewedAccess, new MockResponse().setResponseCode(500),
                accountsAnswer(Map.of("accountNumber", liveNumber(), "name", "Everyday")));
        String kept = keptGrantOf(intent.id());
        String keptAt = grantKeptAt(intent.id());

        assertRefused(authorize(account, intent.id(), code, intent.state()), 502, "PROVIDER_ERROR");
        assertThat(keptGrantOf(intent.id())).as("the renewed grant replaced the first").isNotEqualTo(kept);
        assertThat(grantKeptAt(intent.id())).as("a renewal does not extend how long a grant is kept")
                .isEqualTo(keptAt);
        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));

        assertThat(statusOf(intent.id(), account)).isEqualTo("authorized");
        assertThat(PROVIDER.tokenRequests(refreshToken(code))).hasSize(1);
        assertThat(PROVIDER.accountsRequests(accessToken(code))).as("the first access token: the first attempt and the first retry only")
                .hasSize(2);
        assertThat(PROVIDER.accountsRequests(renewedAccess)).hasSize(2);
    }

    @Test
    void aRefusedRefreshTokenIsA502AndChangesNothing() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("refresh-refused");
        keepExpiredGrant(account, intent, code, json(400, "{\"error\":\"invalid_grant\"}"));
        String kept = keptGrantOf(intent.id());
        Footprint before = footprint(account);

        assertRefused(authorize(account, intent.id(), code, intent.state()), 502, "PROVIDER_ERROR");

        assertThat(footprint(account)).isEqualTo(before);
        assertThat(statusOf(intent.id(), account)).as("not failed: the intent is the client's to retry or end")
                .isEqualTo("created");
        assertThat(keptGrantOf(intent.id())).isEqualTo(kept);
        assertThat(PROVIDER.tokenRequests(refreshToken(code))).as("the refused access token led to one refresh")
                .hasSize(1);
    }

    /** A grant kept for a retry whose access token the accounts endpoint now refuses; the refresh is answered so. */
    private void keepExpiredGrant(TestAccount account, Intent intent, String code, MockResponse refresh) {
        keepGrant(account, intent, code);
        PROVIDER.accounts(accessToken(code), json(401, "{\"error\":\"invalid_token\"}"));
        PROVIDER.token(refreshToken(code), refresh);
    }

    /** The account-consent approval of the account's bank account with that number. */
    private String consentOf(TestAccount account, String number) {
        String bankAccountId = bankAccountsByNumber(account).get(number).get("id").asString();
        return approvalsOf(bankAccountId, account).get(0).get("id").asString();
    }

    private String grantKeptAt(String connectionIntentId) {
        return jdbc.sql("SELECT grant_kept_at::text FROM connection_intent_registry WHERE connection_intent_id = ?")
                .param(connectionIntentId).query(String.class).optional().orElse(null);
    }
}
