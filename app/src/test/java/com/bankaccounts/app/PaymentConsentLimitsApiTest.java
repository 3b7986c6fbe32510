package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import com.bankaccounts.platform.testing.PostgresTestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Top ups under an enduring payment consent over HTTP: held to the consent's bank account, to its being active, and
 * to its total per period, exactly, under parallel requests on one node and on two.
 */
class PaymentConsentLimitsApiTest extends ConnectionIntentApiTestSupport {

    private record Consent(TestAccount account, String bankAccountId, String approvalId) {
    }

    /** An approved daily payment consent of {@code total} cents, of a bank account with a direct debit authority. */
    private Consent approvedConsent(String total) {
        TestAccount account = newAccount(true);
        Response bankAccount = createBankAccountWithAuthority(account, uniqueTestNumber());
        assertThat(bankAccount.status()).as(bankAccount.toString()).isEqualTo(200);
        String bankAccountId = bankAccount.text("id");
        Response intent = created(account, ApiClient.map("accountId", account.id(),
                "type", "enduring-payment-consent", "bankAccountId", bankAccountId, "test", true,
                "name", "Top ups", "period", "daily", "totalAmount", total));
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        assertEmptyObject(authorize(intent.text("id"), account.key(), ApiClient.map("code", consent.code())));
        String approvalId = approvalsOf(bankAccountId, account).get(0).get("id").asString();
        return new Consent(account, bankAccountId, approvalId);
    }

    private static Response topUp(ApiClient client, Consent consent, String bankAccountId, String amount) {
        return client.post("/api/funds-transfers", consent.account().key(), ApiClient.map(
                "bankAccountId", bankAccountId, "type", "topup", "amount", amount,
                "paymentConsentId", consent.approvalId()));
    }

    private JsonNode currentPeriod(Consent consent) {
        JsonNode approval = api.get("/api/bank-account-approvals/" + consent.approvalId(), consent.account().key())
                .json();
        assertThat(approval.has("currentPeriod")).as(approval.toString()).isTrue();
        return approval.get("currentPeriod");
    }

    @Test
    void parallelTopUpsUseExactlyTheTotalAndTheApprovalShowsThePeriod() throws Exception {
        Consent consent = approvedConsent("1000");
        JsonNode before = currentPeriod(consent);
        assertThat(before.get("usedAmount").asString()).isEqualTo("0");
        assertThat(before.get("remainingAmount").asString()).isEqualTo("1000");
        Instant start = Instant.parse(before.get("periodStart").asString());
        assertThat(Instant.parse(before.get("periodEnd").asString())).isEqualTo(start.plusSeconds(86_400));
        assertThat(start).isBeforeOrEqualTo(Instant.now());

        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> topUp(api, consent, consent.bankAccountId(), "100"));
        }
        assertThat(tally(inParallel(calls))).containsExactlyInAnyOrderEntriesOf(
                Map.of("200", 10L, "403 PAYMENT_CONSENT_LIMIT_EXCEEDED", 10L));

        JsonNode after = currentPeriod(consent);
        assertThat(after.get("usedAmount").asString()).isEqualTo("1000");
        assertThat(after.get("remainingAmount").asString()).isEqualTo("0");
        assertThat(after.get("periodStart")).isEqualTo(before.get("periodStart"));
        assertRefused(topUp(api, consent, consent.bankAccountId(), "1"), 403, "PAYMENT_CONSENT_LIMIT_EXCEEDED");
        Response withoutConsent = api.post("/api/funds-transfers", consent.account().key(), ApiClient.map(
                "bankAccountId", consent.bankAccountId(), "type", "topup", "amount", "5000"));
        assertThat(withoutConsent.status()).as("a top up not made under the consent is not held to it")
                .isEqualTo(200);
    }

    @Test
    void onTwoNodesTheTotalHoldsExactly() throws Exception {
        Consent consent = approvedConsent("1500");
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(BankAccountsApplication.class)
                .initializers(new PostgresTestDatabase())
                .run("--server.port=0", "--app.admin-api-key=" + ADMIN_KEY,
                        "--app.token-encryption-key=" + TOKEN_KEY)) {
            ApiClient otherNode = new ApiClient(Integer.parseInt(
                    second.getEnvironment().getRequiredProperty("local.server.port")));
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                ApiClient node = i % 2 == 0 ? api : otherNode;
                calls.add(() -> topUp(node, consent, consent.bankAccountId(), "100"));
            }
            assertThat(tally(inParallel(calls))).containsExactlyInAnyOrderEntriesOf(
                    Map.of("200", 15L, "403 PAYMENT_CONSENT_LIMIT_EXCEEDED", 15L));
        }
        assertThat(currentPeriod(consent).get("usedAmount").asString()).isEqualTo("1500");
        assertThat(jdbc.sql("""
                        SELECT COALESCE(SUM(f.amount), 0) FROM funds_transfer_view f
                        JOIN payment_consent_usage_view u ON u.funds_transfer_id = f.id
                        WHERE u.approval_id = ?""").param(consent.approvalId()).query(Long.class).single())
                .as("the transfers made under it").isEqualTo(1500L);
    }

    @Test
    void theConsentMustBeTheBankAccountsOwnAndActive() {
        Consent consent = approvedConsent("1000");
        Response other = createBankAccountWithAuthority(consent.account(), uniqueTestNumber());
        assertRefused(topUp(api, consent, other.text("id"), "100"), 403, "ACCOUNT_MISMATCH");
        Response withdrawal = api.post("/api/funds-transfers", consent.account().key(), ApiClient.map(
                "bankAccountId", consent.bankAccountId(), "type", "withdrawal", "amount", "100",
                "paymentConsentId", consent.approvalId()));
        assertThat(withdrawal.status()).as(withdrawal.toString()).isEqualTo(400);
        TestAccount stranger = newAccount(true);
        Response strangers = api.post("/api/funds-transfers", stranger.key(),
                ApiClient.map("bankAccountId", createBankAccountWithAuthority(stranger, uniqueTestNumber())
                        .text("id"), "type", "topup", "amount", "100", "paymentConsentId", consent.approvalId()));
        assertRefused(strangers, 404, "APPROVAL_NOT_FOUND");
        assertThat(currentPeriod(consent).get("usedAmount").asString()).isEqualTo("0");

        Response revoked = api.post("/api/bank-account-approvals/" + consent.approvalId() + "/revoke",
                consent.account().key(), ApiClient.map());
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.json().has("currentPeriod")).as("only an approved consent has one").isFalse();
        assertRefused(topUp(api, consent, consent.bankAccountId(), "100"), 403, "PAYMENT_CONSENT_NOT_ACTIVE");
    }

    private static Map<String, Long> tally(List<Response> responses) {
        return responses.stream().collect(Collectors.groupingBy(
                (Function<Response, String>) r -> r.status() == 200 ? "200" : r.status() + " " + r.message(),
                Collectors.counting()));
    }
}
