package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.bankaccount.BankAccountNumbers;
import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

/** What the connection-intent HTTP tests share: the endpoints, the sandbox browser, and reading what was made. */
abstract class ConnectionIntentApiTestSupport extends ApiTestSupport {

    static final String INTENTS = "/api/bank-account-connection-intents";
    static final String UNKNOWN_ID = "DcTs3U38HdhfEqwF1GKoT3";

    protected SandboxBrowser browser;

    @BeforeEach
    void startBrowser() {
        browser = new SandboxBrowser(api);
    }

    protected Response create(TestAccount account, Object body) {
        return api.post(INTENTS, account.key(), body);
    }

    protected Response created(TestAccount account, Object body) {
        Response created = create(account, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created;
    }

    /** A test account-information-consent intent of the account. */
    protected Response accountInformationIntent(TestAccount account) {
        return created(account, ApiClient.map("accountId", account.id(), "type", "account-information-consent",
                "test", true));
    }

    protected Response getIntent(String id, String key) {
        return api.get(INTENTS + "/" + id, key);
    }

    protected Response authorize(String id, String key, Object body) {
        return api.post(INTENTS + "/" + id + "/authorize", key, body);
    }

    protected String statusOf(String id, TestAccount account) {
        Response intent = getIntent(id, account.key());
        assertThat(intent.status()).as(intent.toString()).isEqualTo(200);
        return intent.text("status");
    }

    protected Map<String, JsonNode> bankAccountsByNumber(TestAccount account) {
        Map<String, JsonNode> byNumber = new LinkedHashMap<>();
        for (JsonNode bankAccount : bankAccounts(account)) {
            JsonNode previous = byNumber.put(bankAccount.get("bankAccountNumber").asString(), bankAccount);
            assertThat(previous).as("duplicate bank account number " + bankAccount).isNull();
        }
        return byNumber;
    }

    /** A valid live number of this run (check digits hold), so no holder limit is reached through other tests. */
    protected static String uniqueLiveNumber() {
        for (long base = ThreadLocalRandom.current().nextLong(100_000, 9_000_000); ; base++) {
            String candidate = "03-1500-" + String.format("%07d", base) + "-000";
            if (BankAccountNumbers.hasValidCheckDigits(candidate)) {
                return candidate;
            }
        }
    }

    protected long intentsStoredFor(TestAccount account) {
        return jdbc.sql("SELECT COUNT(*) FROM connection_intent_registry WHERE account_id = ?")
                .param(account.id()).query(Long.class).single()
                + jdbc.sql("SELECT COUNT(*) FROM connection_intent_view WHERE account_id = ?")
                .param(account.id()).query(Long.class).single();
    }

    protected static void assertAccountConsent(JsonNode approval, TestAccount account, String bankAccountId) {
        assertThat(approval.get("type").asString()).as(approval.toString()).isEqualTo("account-consent");
        assertThat(approval.get("status").asString()).as(approval.toString()).isEqualTo("approved");
        assertThat(approval.get("bankAccountId").asString()).isEqualTo(bankAccountId);
        assertThat(approval.get("accountId").asString()).isEqualTo(account.id());
        assertThat(approval.get("refreshToken").asString()).as(approval.toString()).isNotBlank();
        assertThat(approval.get("consentId").asString()).as(approval.toString()).isNotBlank();
        assertThat(approval.has("name")).as(approval.toString()).isFalse();
        assertThat(approval.has("period")).as(approval.toString()).isFalse();
        assertThat(approval.has("totalAmount")).as(approval.toString()).isFalse();
        assertThat(approval.has("mediaUploadId")).as(approval.toString()).isFalse();
    }

    /**
     * A sandbox intent (or bank account request, its older face) as the API shows it just after it is created: its
     * id, account and type, the audit fields of its creation, and the sandbox bank's consent page as its URL.
     */
    static void assertJustCreatedForTheSandbox(JsonNode body, TestAccount account, String type, ApiClient api) {
        assertThat(body.get("id").asString()).hasSize(22);
        assertThat(body.get("accountId").asString()).isEqualTo(account.id());
        assertThat(body.get("type").asString()).isEqualTo(type);
        assertThat(body.get("status").asString()).isEqualTo("created");
        assertThat(body.get("createdAt").asString()).matches(TIMESTAMP);
        assertThat(body.get("createdBy").asString()).isEqualTo(crn(account));
        assertThat(body.get("updatedAt").asString()).isEqualTo(body.get("createdAt").asString());
        assertThat(body.get("updatedBy").asString()).isEqualTo(crn(account));
        assertThat(body.get("authorizationUrl").asString()).startsWith(api.url("/sandbox/consent?state="));
    }

    /** The bank account's one approval, checked as the approved weekly "Groceries" payment consent of 50000. */
    protected JsonNode groceriesPaymentConsent(TestAccount account, String bankAccountId) {
        JsonNode approvals = approvalsOf(bankAccountId, account);
        assertThat(approvals.size()).as(approvals.toString()).isEqualTo(1);
        JsonNode approval = approvals.get(0);
        assertThat(approval.get("type").asString()).isEqualTo("payment-consent");
        assertThat(approval.get("status").asString()).isEqualTo("approved");
        assertThat(approval.get("bankAccountId").asString()).isEqualTo(bankAccountId);
        assertThat(approval.get("name").asString()).isEqualTo("Groceries");
        assertThat(approval.get("period").asString()).isEqualTo("weekly");
        assertThat(approval.get("totalAmount").asString()).isEqualTo("50000");
        return approval;
    }
}
