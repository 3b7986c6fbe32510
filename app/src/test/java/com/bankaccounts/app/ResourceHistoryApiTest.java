package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every resource's history, read from the event store: types, who, when, what changed, never a secret. */
class ResourceHistoryApiTest extends ConnectionIntentApiTestSupport {

    private static final String UNKNOWN = "DcTs3U38HdhfEqwF1GKoT3";

    @Test
    void aBankAccountsHistoryNamesEachEventWhoMadeItAndWhatChanged() {
        TestAccount account = newAccount(true);
        String number = uniqueTestNumber();
        String bankAccountId = createBankAccountWithAuthority(account, number).text("id");
        assertThat(api.post("/api/bank-accounts/" + bankAccountId + "/verify", account.key(),
                ApiClient.map("verificationCode", "0000")).status()).isEqualTo(403);
        String transferId = api.post("/api/funds-transfers", account.key(), ApiClient.map(
                "bankAccountId", bankAccountId, "type", "topup", "amount", "1500")).text("id");
        String code = statementCode(account, bankAccountId, transferId);
        assertThat(api.post("/api/bank-accounts/" + bankAccountId + "/verify", account.key(),
                ApiClient.map("verificationCode", code)).status()).isEqualTo(200);

        for (String key : List.of(account.key(), ADMIN_KEY)) {
            JsonNode items = history("/api/bank-accounts/" + bankAccountId, key);
            assertThat(types(items)).containsExactly("bank-account.created", "bank-account.direct-debit-authorized",
                    "bank-account.verification-failed", "bank-account.verified");
            assertCommonFields(items, crn(account));
            assertThat(items.get(0).get("changes")).isEqualTo(ApiClient.JSON.valueToTree(Map.of(
                    "accountId", account.id(), "bankAccountNumber", number, "bankAccountName", "John Doe",
                    "status", "created", "verified", false, "test", true)));
            assertThat(items.get(1).get("changes")).isEqualTo(ApiClient.JSON.valueToTree(
                    Map.of("directDebitAuthorized", true)));
            assertThat(items.get(2).get("changes")).isEqualTo(ApiClient.JSON.valueToTree(
                    Map.of("failedAttempts", 1, "reason", "CODE_INVALID")));
            assertThat(items.get(3).get("changes")).isEqualTo(ApiClient.JSON.valueToTree(
                    Map.of("verified", true, "status", "active")));
            assertNoValue(items, "0000");
            assertNoValue(items, code);
            assertNoField(items, "verificationCode");
        }
        assertHiddenFromOthers("/api/bank-accounts/" + bankAccountId, "BANK_ACCOUNT_NOT_FOUND");
    }

    @Test
    void aFundsTransfersHistoryLeavesOutItsVerificationCode() {
        TestAccount account = newAccount(true);
        String bankAccountId = createBankAccountWithAuthority(account, uniqueTestNumber()).text("id");
        String transferId = api.post("/api/funds-transfers", account.key(), ApiClient.map(
                "bankAccountId", bankAccountId, "type", "topup", "amount", "1500")).text("id");
        String code = statementCode(account, bankAccountId, transferId);
        assertThat(api.post("/api/bank-accounts/" + bankAccountId + "/verify", account.key(),
                ApiClient.map("verificationCode", code)).status()).isEqualTo(200);

        for (String key : List.of(account.key(), ADMIN_KEY)) {
            JsonNode items = history("/api/funds-transfers/" + transferId, key);
            List<String> types = types(items);
            assertThat(types.get(0)).isEqualTo("funds-transfer.created");
            assertThat(types.get(types.size() - 1)).isEqualTo("funds-transfer.done");
            assertThat(items.get(0).get("principal").asString()).isEqualTo(crn(account));
            assertThat(items.get(0).get("changes")).isEqualTo(ApiClient.JSON.valueToTree(Map.of(
                    "accountId", account.id(), "bankAccountId", bankAccountId, "type", "topup", "amount", "1500",
                    "status", "created", "test", true)));
            assertThat(items.get(items.size() - 1).get("changes").get("status").asString()).isEqualTo("done");
            assertCommonFields(items, null);
            assertNoValue(items, code);
            assertNoField(items, "verificationCode");
        }
        assertHiddenFromOthers("/api/funds-transfers/" + transferId, "FUNDS_TRANSFER_NOT_FOUND");
        assertRefused(api.get("/api/funds-transfers/" + bankAccountId + "/history", account.key()), 404,
                "FUNDS_TRANSFER_NOT_FOUND");
    }

    @Test
    void aConnectionIntentsHistoryLeavesOutItsStateVerifierAndTokens() {
        TestAccount account = newAccount(true);
        Response created = accountInformationIntent(account);
        String id = created.text("id");
        SandboxBrowser.Consent consent = browser.approve(created.text("authorizationUrl"));
        assertEmptyObject(authorize(id, account.key(), ApiClient.map("code", consent.code(), "state", consent.state())));

        for (String key : List.of(account.key(), ADMIN_KEY)) {
            Response answer = api.get(INTENTS + "/" + id + "/history", key);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            JsonNode items = answer.json().get("items");
            assertThat(types(items)).containsExactly("connection-intent.created", "connection-intent.authorized");
            assertCommonFields(items, crn(account));
            assertThat(items.get(0).get("changes").get("type").asString()).isEqualTo("account-information-consent");
            assertThat(items.get(0).get("changes").get("status").asString()).isEqualTo("created");
            JsonNode authorized = items.get(1).get("changes");
            assertThat(authorized.get("status").asString()).isEqualTo("authorized");
            assertThat(authorized.get("bankAccountIds").size()).isEqualTo(consent.numbers().size());
            assertThat(authorized.get("approvalIds").size()).isEqualTo(consent.numbers().size());
            assertThat(answer.body()).doesNotContain(consent.state()).doesNotContain(consent.code())
                    .doesNotContain("authorizationUrl").doesNotContain("efresh").doesNotContain("ncrypted")
                    .doesNotContain("erifier");
            for (JsonNode approval : approvalsOf(authorized.get("bankAccountIds").get(0).asString(), account)) {
                assertThat(answer.body()).doesNotContain(approval.get("refreshToken").asString());
            }
        }
        assertHiddenFromOthers(INTENTS + "/" + id, "CONNECTION_INTENT_NOT_FOUND");

        String legacy = api.post("/api/bank-account-requests", account.key(),
                ApiClient.map("accountId", account.id(), "type", "quartz-details")).text("id");
        assertRefused(api.get(INTENTS + "/" + legacy + "/history", account.key()), 404,
                "CONNECTION_INTENT_NOT_FOUND");
    }

    /** The older face's history, in its own terms: declined reads failed, as on its GET. */
    @Test
    void aBankAccountRequestsHistoryShowsItsOwnStatuses() {
        TestAccount account = newAccount(true);
        String id = api.post("/api/bank-account-requests", account.key(),
                ApiClient.map("accountId", account.id(), "type", "quartz-details")).text("id");
        assertEmptyObject(api.post("/api/bank-account-requests/" + id + "/authorize", account.key(),
                ApiClient.map("error", "access_denied")));

        Response answer = api.get("/api/bank-account-requests/" + id + "/history", account.key());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode items = answer.json().get("items");
        assertThat(types(items)).containsExactly("connection-intent.created", "connection-intent.declined");
        assertCommonFields(items, crn(account));
        assertThat(items.get(0).get("changes").get("type").asString()).isEqualTo("quartz-details");
        assertThat(items.get(1).get("changes").get("status").asString())
                .isEqualTo(api.get("/api/bank-account-requests/" + id, account.key()).text("status"))
                .isEqualTo("failed");
        assertHiddenFromOthers("/api/bank-account-requests/" + id, "BANK_ACCOUNT_REQUEST_NOT_FOUND");
        String intent = accountInformationIntent(account).text("id");
        assertRefused(api.get("/api/bank-account-requests/" + intent + "/history", account.key()), 404,
                "BANK_ACCOUNT_REQUEST_NOT_FOUND");
    }

    @Test
    void anApprovalsHistoryHasTheSameFieldsBesideItsActivities() {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);
        String approvalId = api.post("/api/bank-account-approvals", account.key(), ApiClient.map(
                "mediaUploadId", uploadPdf(account).text("id"), "bankAccountId", bankAccountId,
                "type", "settlement")).text("id");
        assertEmptyObject(api.post("/api/bank-account-approvals/" + approvalId + "/decline", ADMIN_KEY,
                ApiClient.map("reason", "blurry")));

        JsonNode items = history("/api/bank-account-approvals/" + approvalId, account.key());
        assertThat(types(items)).containsExactly("approval.created", "approval.declined");
        assertThat(items.get(0).get("principal").asString()).isEqualTo(crn(account));
        assertThat(items.get(1).get("principal").asString()).isEqualTo("crn::api-key:admin");
        assertThat(items.get(1).get("changes")).isEqualTo(ApiClient.JSON.valueToTree(
                Map.of("status", "declined", "reason", "blurry")));
        assertThat(items.get(0).get("changes").get("bankAccountId").asString()).isEqualTo(bankAccountId);
        assertCommonFields(items, null);
        assertHiddenFromOthers("/api/bank-account-approvals/" + approvalId, "APPROVAL_NOT_FOUND");
    }

    private JsonNode history(String resource, String key) {
        Response answer = api.get(resource + "/history", key);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json().get("items");
    }

    private static List<String> types(JsonNode items) {
        List<String> types = new ArrayList<>();
        items.forEach(item -> types.add(item.get("type").asString()));
        return types;
    }

    /** Sequence numbers in order, a time, the event's id and, when given, the principal of every entry. */
    private static void assertCommonFields(JsonNode items, String principal) {
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            assertThat(item.get("sequence").asLong()).as(item.toString()).isEqualTo(i);
            assertThat(item.get("time").asString()).matches(TIMESTAMP);
            assertThat(item.get("eventId").asString()).isNotBlank();
            assertThat(item.get("principal").asString()).startsWith("crn:");
            if (principal != null) {
                assertThat(item.get("principal").asString()).as(item.toString()).isEqualTo(principal);
            }
            assertThat(item.get("changes").isObject()).isTrue();
        }
    }

    /** Another account's key gets the resource's 404, as for an unknown or malformed id. */
    private void assertHiddenFromOthers(String resource, String notFound) {
        TestAccount other = newAccount(true);
        assertRefused(api.get(resource + "/history", other.key()), 404, notFound);
        String collection = resource.substring(0, resource.lastIndexOf('/'));
        assertRefused(api.get(collection + "/" + UNKNOWN + "/history", other.key()), 404, notFound);
        assertRefused(api.get(collection + "/" + UNKNOWN + "/history", ADMIN_KEY), 404, notFound);
        assertRefused(api.get(collection + "/not-an-id/history", ADMIN_KEY), 404, notFound);
        assertThat(api.get(resource + "/history", null).status()).isEqualTo(401);
    }

    private static void assertNoValue(JsonNode items, String value) {
        for (JsonNode item : items) {
            item.get("changes").forEach(changed -> assertThat(changed.isString() ? changed.asString() : "")
                    .as(item.toString()).isNotEqualTo(value));
        }
    }

    private static void assertNoField(JsonNode node, String name) {
        assertThat(node.findValues(name)).as(node.toString()).isEmpty();
    }
}
