package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.platform.crypto.ConsentTokens;
import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Revoking a consent over HTTP: by its owner or the admin, once; the refresh token is gone from every answer and
 * its ciphertext, in the events too, is no longer readable with any key the server holds, while the other consents
 * of the same grant keep theirs.
 */
class ConsentRevocationApiTest extends ConnectionIntentApiTestSupport {

    @Autowired
    private ConsentTokens tokens;

    private String revokePath(String approvalId) {
        return "/api/bank-account-approvals/" + approvalId + "/revoke";
    }

    /** The approved account-consent approvals of one sandbox grant (one per demo account). */
    private List<JsonNode> connectedConsents(TestAccount account) {
        Response intent = accountInformationIntent(account);
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        assertEmptyObject(authorize(intent.text("id"), account.key(), ApiClient.map("code", consent.code())));
        List<JsonNode> approvals = new ArrayList<>();
        for (JsonNode bankAccount : bankAccountsByNumber(account).values()) {
            approvals.add(approvalsOf(bankAccount.get("id").asString(), account).get(0));
        }
        assertThat(approvals).hasSize(2);
        return approvals;
    }

    /** Completing a consent (the admin: it has served its purpose) ends it too; its sibling keeps its token. */
    @Test
    void aCompletedConsentsTokenIsShreddedAsARevokedOnes() {
        TestAccount account = newAccount(true);
        List<JsonNode> consents = connectedConsents(account);
        String approvalId = consents.get(0).get("id").asString();
        List<String> ciphertexts = ConsentShredding.ciphertextsInEvents(jdbc, approvalId);

        assertEmptyObject(api.post("/api/bank-account-approvals/" + approvalId + "/complete", ADMIN_KEY,
                ApiClient.map("reason", "served its purpose")));

        JsonNode completed = api.get("/api/bank-account-approvals/" + approvalId, account.key()).json();
        assertThat(completed.get("status").asString()).isEqualTo("done");
        assertThat(completed.has("refreshToken")).as(completed.toString()).isFalse();
        ConsentShredding.assertUnreadable(jdbc, tokens, ciphertexts.get(0));
        String sibling = consents.get(1).get("id").asString();
        assertThat(api.get("/api/bank-account-approvals/" + sibling, account.key()).text("refreshToken"))
                .isEqualTo(consents.get(1).get("refreshToken").asString());
    }

    /**
     * A top up under the consent holds its bank account's lock while it waits for the consent's row; a revocation
     * that updated the consent's row and then waited for the bank account's lock would deadlock with it.
     */
    @Test
    void aRevocationDoesNotWaitForItsBankAccountsLock() throws Exception {
        TestAccount account = newAccount(true);
        JsonNode consent = connectedConsents(account).get(0);
        try (HeldLock lock = holdLock("SELECT 1 FROM bank_account_registry WHERE bank_account_id = ? FOR UPDATE",
                consent.get("bankAccountId").asString())) {
            Response answer = api.send(api.request(revokePath(consent.get("id").asString()), account.key())
                    .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        }
    }

    @Test
    void theOwnerRevokesAConsentAndItsTokenIsShreddedEverywhere() {
        TestAccount account = newAccount(true);
        List<JsonNode> consents = connectedConsents(account);
        JsonNode revoked = consents.get(0);
        JsonNode kept = consents.get(1);
        String approvalId = revoked.get("id").asString();
        List<String> ciphertexts = ConsentShredding.ciphertextsInEvents(jdbc, approvalId);
        assertThat(ciphertexts).as("the event holds the token's envelope ciphertext").hasSize(1);
        ConsentShredding.assertReadable(tokens, ciphertexts.get(0), revoked.get("refreshToken").asString());

        Response answer = api.post(revokePath(approvalId), account.key(), ApiClient.map("reason", "customer asked"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode approval = answer.json();
        assertThat(approval.get("status").asString()).isEqualTo("revoked");
        assertThat(approval.has("refreshToken")).as(approval.toString()).isFalse();
        assertThat(approval.get("modifiedBy").asString()).isEqualTo(crn(account));
        JsonNode last = approval.get("approvalActivities").get(approval.get("approvalActivities").size() - 1);
        assertThat(last.get("activityType").asString()).isEqualTo("revoked");
        assertThat(last.get("reason").asString()).isEqualTo("customer asked");
        assertThat(api.get("/api/bank-account-approvals/" + approvalId, account.key()).json()).isEqualTo(approval);
        assertThat(approvalsOf(revoked.get("bankAccountId").asString(), account).get(0)).isEqualTo(approval);
        JsonNode history = api.get("/api/bank-account-approvals/" + approvalId + "/history", account.key()).json();
        JsonNode lastEvent = history.get("items").get(history.get("items").size() - 1);
        assertThat(lastEvent.get("type").asString()).as(history.toString()).isEqualTo("approval.revoked");
        assertThat(lastEvent.get("activityType").asString()).isEqualTo("revoked");
        assertThat(jdbc.sql("SELECT refresh_token FROM approval_view WHERE id = ?").param(approvalId)
                .query(String.class).optional()).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM consent_data_keys").query(Long.class).single())
                .as("other consents' keys are still there, and tried").isPositive();
        ConsentShredding.assertUnreadable(jdbc, tokens, ciphertexts.get(0));

        JsonNode other = api.get("/api/bank-account-approvals/" + kept.get("id").asString(), account.key()).json();
        assertThat(other.get("status").asString()).isEqualTo("approved");
        assertThat(other.get("refreshToken").asString()).as("the other consent keeps its token")
                .isEqualTo(kept.get("refreshToken").asString());

        assertRefused(api.post(revokePath(approvalId), account.key(), ApiClient.map()), 403, "APPROVAL_NOT_APPROVED");
    }

    @Test
    void theIntentsEventNoLongerHoldsAReadableTokenOnceLinked() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        assertEmptyObject(authorize(intent.text("id"), account.key(), ApiClient.map("code", consent.code())));

        List<String> ciphertexts = ConsentShredding.ciphertextsInEvents(jdbc, intent.text("id"));
        assertThat(ciphertexts).hasSize(1);
        ConsentShredding.assertUnreadable(jdbc, tokens, ciphertexts.get(0));
    }

    @Test
    void theAdminRevokesAnyConsentAndAnotherAccountCannot() {
        TestAccount account = newAccount(true);
        TestAccount stranger = newAccount(true);
        String approvalId = connectedConsents(account).get(0).get("id").asString();

        assertRefused(api.post(revokePath(approvalId), stranger.key(), ApiClient.map()), 404, "APPROVAL_NOT_FOUND");
        assertRefused(api.post(revokePath("DcTs3U38HdhfEqwF1GKoT3"), account.key(), ApiClient.map()), 404,
                "APPROVAL_NOT_FOUND");
        assertRefused(api.post(revokePath("not-an-id"), account.key(), ApiClient.map()), 404, "APPROVAL_NOT_FOUND");
        assertThat(api.post(revokePath(approvalId), null, ApiClient.map()).status()).isEqualTo(401);
        Response tooLong = api.post(revokePath(approvalId), account.key(), ApiClient.map("reason", "x".repeat(1001)));
        assertThat(tooLong.status()).as(tooLong.toString()).isEqualTo(400);

        Response revoked = api.post(revokePath(approvalId), ADMIN_KEY, ApiClient.map());
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.text("status")).isEqualTo("revoked");
        assertThat(revoked.text("modifiedBy")).isEqualTo("crn::api-key:admin");
        assertThat(revoked.json().has("refreshToken")).isFalse();
    }

    /** The revocation reaches the account's webhook endpoint, with the approval as it is now: no token in it. */
    @Test
    void aRevocationIsDeliveredAsAWebhook() {
        TestAccount account = newAccount(true);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Response endpoint = api.post("/api/webhook-endpoints", account.key(),
                    ApiClient.map("url", receiver.url(), "eventTypes", List.of("approval.revoked")));
            assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(200);
            String approvalId = connectedConsents(account).get(0).get("id").asString();
            Response answer = api.post(revokePath(approvalId), account.key(), ApiClient.map());
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(90)).until(() -> !receiver.received().isEmpty());
            JsonNode body = ApiClient.JSON.readTree(receiver.received().get(0).body());
            assertThat(body.get("type").asString()).isEqualTo("approval.revoked");
            assertThat(body.get("data").get("status").asString()).isEqualTo("revoked");
            assertThat(body.get("data").has("refreshToken")).isFalse();
        }
    }

    /**
     * A consent's webhooks carry the approval without its refresh token, so no receiver gets it and no kept body holds
     * it: sending an old delivery again after the revocation cannot hand the token out either.
     */
    @Test
    void aConsentsWebhooksNeverCarryItsRefreshToken() {
        TestAccount account = newAccount(true);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Response endpoint = api.post("/api/webhook-endpoints", account.key(), ApiClient.map("url", receiver.url(),
                    "eventTypes", List.of("approval.created", "approval.approved")));
            assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(200);
            List<JsonNode> consents = connectedConsents(account);

            await().atMost(Duration.ofSeconds(90)).until(() -> receiver.received().size() >= 4);
            for (WebhookReceiver.Received delivery : receiver.received()) {
                JsonNode data = ApiClient.JSON.readTree(delivery.body()).get("data");
                assertThat(data.get("type").asString()).isEqualTo("account-consent");
                assertThat(data.has("refreshToken")).as(delivery.body()).isFalse();
                assertThat(data.get("consentId").asString()).isNotBlank();
            }
            for (JsonNode consent : consents) {
                assertThat(consent.get("refreshToken").asString()).as("the API still shows it").isNotBlank();
            }
        }
    }
}
