package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.bankaccounts.platform.crypto.ConsentTokens;
import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import com.bankaccounts.platform.testing.PostgresTestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Expiry over HTTP, with a short account-information validity: the consent expires by itself (a durable deadline),
 * as the system, with an activity, and its token is shredded as on revocation.
 */
@TestPropertySource(properties = "app.consents.account-information-validity=4s")
class ConsentExpiryApiTest extends ConnectionIntentApiTestSupport {

    private static final String EXPIRY_PRINCIPAL = "crn::system:consent-expiry";

    @Autowired
    private ConsentTokens tokens;

    @Test
    void anAccountConsentExpiresItsValidityAfterItWasApproved() {
        TestAccount account = newAccount(true);
        JsonNode approval = approvedAccountConsent(account);
        String approvalId = approval.get("id").asString();
        assertThat(approval.get("status").asString()).isEqualTo("approved");
        Instant approvedAt = Instant.parse(approval.get("createdAt").asString());
        assertThat(Instant.parse(approval.get("expiresAt").asString())).as(approval.toString())
                .isBetween(approvedAt.plusSeconds(3), approvedAt.plusSeconds(5));
        List<String> ciphertexts = ConsentShredding.ciphertextsInEvents(jdbc, approvalId);

        JsonNode expired = awaitExpired(approvalId, account);

        JsonNode last = expired.get("approvalActivities").get(expired.get("approvalActivities").size() - 1);
        assertThat(last.get("activityType").asString()).isEqualTo("expired");
        assertThat(last.get("createdBy").asString()).isEqualTo(EXPIRY_PRINCIPAL);
        assertThat(Instant.parse(last.get("createdAt").asString())).as("not before its time")
                .isAfterOrEqualTo(Instant.parse(approval.get("expiresAt").asString()));
        assertThat(expired.get("modifiedBy").asString()).isEqualTo(EXPIRY_PRINCIPAL);
        assertThat(expired.has("refreshToken")).isFalse();
        ConsentShredding.assertUnreadable(jdbc, tokens, ciphertexts.get(0));
        assertRefused(api.post("/api/bank-account-approvals/" + approvalId + "/revoke", account.key(),
                ApiClient.map()), 403, "APPROVAL_NOT_APPROVED");
        assertThat(expired.get("approvalActivities").size()).as("expired once").isEqualTo(3);
    }

    @Test
    void aPaymentConsentExpiresAtTheTimeItsIntentNamed() {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);
        String expiresAt = Instant.now().plusSeconds(5).toString();
        Response intent = created(account, ApiClient.map("accountId", account.id(),
                "type", "enduring-payment-consent", "bankAccountId", bankAccountId, "test", true,
                "name", "Rent", "period", "weekly", "totalAmount", "50000", "expiresAt", expiresAt));
        assertThat(Instant.parse(intent.text("expiresAt"))).isEqualTo(Instant.parse(expiresAt)
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        assertEmptyObject(authorize(intent.text("id"), account.key(), ApiClient.map("code", consent.code())));
        JsonNode approval = approvalsOf(bankAccountId, account).get(0);
        assertThat(approval.get("status").asString()).isEqualTo("approved");
        assertThat(approval.get("expiresAt").asString()).isEqualTo(intent.text("expiresAt"));

        JsonNode expired = awaitExpired(approval.get("id").asString(), account);
        assertThat(expired.has("refreshToken")).isFalse();
    }

    @Test
    void aPaymentConsentWhoseEndCameBeforeItsCodeFailsItsIntentAndLinksNothing() {
        ApprovedBeforeItsEnd approved = approvedBeforeItsEnd();
        String intentId = approved.intent().text("id");
        awaitPast(Instant.parse(approved.intent().text("expiresAt")));

        assertRefused(authorizeWithItsCode(approved), 403, "PAYMENT_CONSENT_EXPIRED");

        assertThat(statusOf(intentId, approved.account())).isEqualTo("failed");
        assertThat(approvalsOf(approved.bankAccountId(), approved.account())).isEmpty();
        assertRefused(authorizeWithItsCode(approved), 403, "CONNECTION_INTENT_FAILED");
        // Refused before the code was spent: the sandbox still holds it unredeemed.
        assertThat(jdbc.sql("SELECT code_used FROM sandbox_consents WHERE connection_intent_id = ?")
                .param(intentId).query(Boolean.class).single()).isFalse();
    }

    @Test
    void theAggregateRefusesAnEndedPaymentConsentWhenTheRegistryDoesNotKnowItsEnd() {
        ApprovedBeforeItsEnd approved = approvedBeforeItsEnd();
        String intentId = approved.intent().text("id");
        // As for an intent made before the registry kept its end: the code is exchanged, then the aggregate decides.
        jdbc.sql("UPDATE connection_intent_registry SET expires_at = NULL WHERE connection_intent_id = ?")
                .param(intentId).update();
        awaitPast(Instant.parse(approved.intent().text("expiresAt")));

        assertRefused(authorizeWithItsCode(approved), 403, "PAYMENT_CONSENT_EXPIRED");

        assertThat(statusOf(intentId, approved.account())).isEqualTo("failed");
        assertThat(approvalsOf(approved.bankAccountId(), approved.account())).isEmpty();
        assertThat(jdbc.sql("SELECT kept_grant FROM connection_intent_registry WHERE connection_intent_id = ?")
                .param(intentId).query(String.class).optional()).as("the grant is forgotten").isEmpty();
    }

    @Test
    void theSandboxPageOfAPaymentConsentPastItsEndIsGone() {
        TestAccount account = newAccount(true);
        Response intent = paymentConsentEndingSoon(account, newBankAccount(account));
        awaitPast(Instant.parse(intent.text("expiresAt")));

        Response page = api.get(java.net.URI.create(intent.text("authorizationUrl")).getRawPath() + "?"
                + java.net.URI.create(intent.text("authorizationUrl")).getRawQuery(), null);
        assertThat(page.status()).isEqualTo(410);
        assertThat(page.body()).contains("Consent ended");
    }

    /** A payment consent ending 3 s after its intent was made, approved in the sandbox before that. */
    private record ApprovedBeforeItsEnd(TestAccount account, String bankAccountId, Response intent,
                                        SandboxBrowser.Consent consent) {
    }

    private ApprovedBeforeItsEnd approvedBeforeItsEnd() {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);
        Response intent = paymentConsentEndingSoon(account, bankAccountId);
        return new ApprovedBeforeItsEnd(account, bankAccountId, intent,
                browser.approve(intent.text("authorizationUrl")));
    }

    private Response authorizeWithItsCode(ApprovedBeforeItsEnd approved) {
        return authorize(approved.intent().text("id"), approved.account().key(),
                ApiClient.map("code", approved.consent().code()));
    }

    private Response paymentConsentEndingSoon(TestAccount account, String bankAccountId) {
        return created(account, ApiClient.map("accountId", account.id(), "type", "enduring-payment-consent",
                "bankAccountId", bankAccountId, "test", true, "name", "Gym", "period", "monthly",
                "expiresAt", Instant.now().plusSeconds(3).toString()));
    }

    private static void awaitPast(Instant moment) {
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(moment));
    }

    @Test
    void anExpiryScheduledOnANodeThatHasStoppedStillHappensOnce() {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);
        String approvalId;
        Instant expiresAt = Instant.now().plusSeconds(30);
        try (ConfigurableApplicationContext other = new SpringApplicationBuilder(BankAccountsApplication.class)
                .initializers(new PostgresTestDatabase())
                .run("--server.port=0", "--app.admin-api-key=" + ADMIN_KEY, "--app.token-encryption-key=" + TOKEN_KEY,
                        "--app.scheduler.polling-interval=1s")) {
            ApiClient otherNode = new ApiClient(Integer.parseInt(
                    other.getEnvironment().getRequiredProperty("local.server.port")));
            Response intent = otherNode.post(INTENTS, account.key(), ApiClient.map("accountId", account.id(),
                    "type", "enduring-payment-consent", "bankAccountId", bankAccountId, "test", true,
                    "expiresAt", expiresAt.toString()));
            assertThat(intent.status()).as(intent.toString()).isEqualTo(200);
            SandboxBrowser.Consent consent = new SandboxBrowser(otherNode).approve(intent.text("authorizationUrl"));
            assertEmptyObject(otherNode.post(INTENTS + "/" + intent.text("id") + "/authorize", account.key(),
                    ApiClient.map("code", consent.code())));
            approvalId = approvalsOf(bankAccountId, account).get(0).get("id").asString();
        }
        // Only meaningful when the node stopped before the expiry was due (a very slow machine skips it).
        assumeTrue(Instant.now().isBefore(expiresAt.minusSeconds(2)), "the node stopped after the expiry was due");
        assertThat(api.get("/api/bank-account-approvals/" + approvalId, account.key()).text("status"))
                .isEqualTo("approved");

        JsonNode expired = awaitExpired(approvalId, account);
        assertThat(expired.get("approvalActivities").size()).as(expired.toString()).isEqualTo(3);
    }

    @Test
    void anExpiryInThePastOrMalformedIsRefused() {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);
        for (String expiresAt : List.of("2020-01-01T00:00:00Z", "next week", "+999999999-12-31T23:59:59Z",
                "+10000-01-01T00:00:00Z")) {
            Response refused = create(account, ApiClient.map("accountId", account.id(),
                    "type", "enduring-payment-consent", "bankAccountId", bankAccountId, "test", true,
                    "expiresAt", expiresAt));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.message()).contains("expiresAt");
        }
    }

    /** The account-consent approval of a sandbox grant, approved and authorized just now. */
    private JsonNode approvedAccountConsent(TestAccount account) {
        Response intent = accountInformationIntent(account);
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        assertEmptyObject(authorize(intent.text("id"), account.key(), ApiClient.map("code", consent.code())));
        JsonNode bankAccount = bankAccountsByNumber(account).values().iterator().next();
        return approvalsOf(bankAccount.get("id").asString(), account).get(0);
    }

    private JsonNode awaitExpired(String approvalId, TestAccount account) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                "expired".equals(api.get("/api/bank-account-approvals/" + approvalId, account.key()).text("status")));
        return api.get("/api/bank-account-approvals/" + approvalId, account.key()).json();
    }
}
