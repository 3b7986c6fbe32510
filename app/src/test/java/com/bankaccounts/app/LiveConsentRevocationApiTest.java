package com.bankaccounts.app;

import static com.bankaccounts.app.LiveProvider.accessToken;
import static com.bankaccounts.app.LiveProvider.accountsAnswer;
import static com.bankaccounts.app.LiveProvider.grant;
import static com.bankaccounts.app.LiveProvider.json;
import static com.bankaccounts.app.LiveProvider.newCode;
import static com.bankaccounts.app.LiveProvider.refreshToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.platform.crypto.ConsentTokens;
import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Revoking a live consent: the revocation commits at once, and the provider's RFC 7009 endpoint is called after it,
 * by a durable task that retries when the provider fails; its failure never undoes the revocation.
 */
class LiveConsentRevocationApiTest extends LiveProviderApiTestSupport {

    @Autowired
    private ConsentTokens tokens;

    @Test
    void theProviderIsAskedToRevokeTheTokenAfterTheRevocationAndAgainWhenItFailed() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("revoke");
        String number = liveNumber();
        PROVIDER.token(code, grant(code));
        PROVIDER.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", number, "name", "Everyday")));
        PROVIDER.revocation(refreshToken(code), json(503, "{\"error\":\"temporarily_unavailable\"}"));
        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));
        String bankAccountId = bankAccountsByNumber(account).get(number).get("id").asString();
        JsonNode approval = approvalsOf(bankAccountId, account).get(0);
        assertThat(approval.get("refreshToken").asString()).isEqualTo(refreshToken(code));
        String approvalId = approval.get("id").asString();
        List<String> ciphertexts = ConsentShredding.ciphertextsInEvents(jdbc, approvalId);

        Response revoked = api.post("/api/bank-account-approvals/" + approvalId + "/revoke", account.key(),
                ApiClient.map("reason", "switched banks"));

        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.text("status")).isEqualTo("revoked");
        assertThat(revoked.json().has("refreshToken")).isFalse();
        ConsentShredding.assertUnreadable(jdbc, tokens, ciphertexts.get(0));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(PROVIDER.revocationRequests(refreshToken(code))).hasSize(2));
        for (LiveProvider.TokenRequest request : PROVIDER.revocationRequests(refreshToken(code))) {
            assertThat(request.form()).containsEntry("token", refreshToken(code))
                    .containsEntry("token_type_hint", "refresh_token");
            assertThat(request.request().getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString((LiveProvider.CLIENT_ID + ":" + LiveProvider.CLIENT_SECRET).getBytes()));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.sql(
                        "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'provider-token-revocation'"
                                + " AND task_instance = ?").param(approvalId).query(Long.class).single())
                .as("the revoked token is no longer kept once the provider revoked it").isZero());
        JsonNode after = api.get("/api/bank-account-approvals/" + approvalId, account.key()).json();
        assertThat(after.get("status").asString()).as("the provider's failure did not undo it").isEqualTo("revoked");
    }
}
