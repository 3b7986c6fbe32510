package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Bank Account Requests, the legacy face of connection intents: {@code quartz-details} and {@code quartz-payment},
 * status {@code done} once authorized, the liveness of the account, and the two faces kept apart.
 */
class BankAccountRequestsApiTest extends ApiTestSupport {

    private static final String REQUESTS = "/api/bank-account-requests";
    private static final String INTENTS = ConnectionIntentApiTestSupport.INTENTS;

    private SandboxBrowser browser;

    @BeforeEach
    void startBrowser() {
        browser = new SandboxBrowser(api);
    }

    private Response create(TestAccount account, Object body) {
        return api.post(REQUESTS, account.key(), body);
    }

    private Response detailsRequest(TestAccount account) {
        Response created = create(account, ApiClient.map("accountId", account.id(), "type", "quartz-details"));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created;
    }

    private Response getRequest(String id, String key) {
        return api.get(REQUESTS + "/" + id, key);
    }

    private Response authorize(String id, String key, Object body) {
        return api.post(REQUESTS + "/" + id + "/authorize", key, body);
    }

    private String statusOf(String id, TestAccount account) {
        Response request = getRequest(id, account.key());
        assertThat(request.status()).as(request.toString()).isEqualTo(200);
        return request.text("status");
    }

    @Test
    void aDetailsRequestRunsTheSandboxFlowAndEndsDone() {
        TestAccount account = newAccount(true);
        Response created = detailsRequest(account);
        JsonNode body = created.json();
        String id = body.get("id").asString();
        ConnectionIntentApiTestSupport.assertJustCreatedForTheSandbox(body, account, "quartz-details", api);
        assertThat(body.get("test").asBoolean()).as("no test flag: the test account's liveness").isTrue();
        for (String absent : List.of("bankAccountId", "name", "period", "totalAmount")) {
            assertThat(body.has(absent)).as(absent + " in " + body).isFalse();
        }
        assertThat(getRequest(id, account.key()).json()).isEqualTo(body);

        SandboxBrowser.Consent consent = browser.approve(body.get("authorizationUrl").asString());
        assertEmptyObject(authorize(id, account.key(), ApiClient.map("code", consent.code())));

        JsonNode done = getRequest(id, account.key()).json();
        assertThat(done.get("status").asString()).isEqualTo("done");
        assertThat(done.get("type").asString()).isEqualTo("quartz-details");
        assertThat(done.get("updatedBy").asString()).isEqualTo(crn(account));
        JsonNode connected = bankAccounts(account);
        assertThat(connected.size()).isEqualTo(2);
        for (JsonNode bankAccount : connected) {
            assertThat(consent.numbers()).contains(bankAccount.get("bankAccountNumber").asString());
            JsonNode approvals = approvalsOf(bankAccount.get("id").asString(), account);
            assertThat(approvals.size()).isEqualTo(1);
            assertThat(approvals.get(0).get("type").asString()).isEqualTo("account-consent");
            assertThat(approvals.get(0).get("status").asString()).isEqualTo("approved");
            assertThat(approvals.get(0).get("refreshToken").asString()).isNotBlank();
            assertThat(approvals.get(0).get("consentId").asString()).isNotBlank();
        }
    }

    @Test
    void aPaymentRequestNeedsABankAccountAndApprovesAPaymentConsent() {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);
        long events = eventCount();
        Response missing = create(account, ApiClient.map("accountId", account.id(), "type", "quartz-payment"));
        assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
        assertThat(missing.message()).contains("bankAccountId");
        assertThat(eventCount()).isEqualTo(events);

        Response created = create(account, ApiClient.map("accountId", account.id(), "type", "quartz-payment",
                "bankAccountId", bankAccountId));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.text("type")).isEqualTo("quartz-payment");
        assertThat(created.text("bankAccountId")).isEqualTo(bankAccountId);
        assertThat(created.text("status")).isEqualTo("created");
        for (String absent : List.of("name", "period", "totalAmount")) {
            assertThat(created.json().has(absent)).as("the older face has no payment terms: " + created).isFalse();
        }

        SandboxBrowser.Consent consent = browser.approve(created.text("authorizationUrl"));
        assertEmptyObject(authorize(created.text("id"), account.key(),
                ApiClient.map("code", consent.code(), "state", consent.state())));
        assertThat(statusOf(created.text("id"), account)).isEqualTo("done");
        JsonNode approvals = approvalsOf(bankAccountId, account);
        assertThat(approvals.size()).isEqualTo(1);
        assertThat(approvals.get(0).get("type").asString()).isEqualTo("payment-consent");
        assertThat(approvals.get(0).get("status").asString()).isEqualTo("approved");
        assertThat(approvals.get(0).get("refreshToken").asString()).isNotBlank();
        assertThat(bankAccounts(account).size()).as("a payment consent connects no accounts").isEqualTo(1);
    }

    @Test
    void badInputAnswers400AndStoresNothing() {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);
        Map<Object, String> cases = new LinkedHashMap<>();
        cases.put(ApiClient.map("type", "quartz-details"), "accountId");
        cases.put(ApiClient.map("accountId", account.id()), "type");
        cases.put(ApiClient.map("accountId", account.id(), "type", "account-information-consent"), "type");
        cases.put(ApiClient.map("accountId", account.id(), "type", "quartz-accounts"), "type");
        cases.put(ApiClient.map("accountId", account.id(), "type", "enduring-payment-consent",
                "bankAccountId", bankAccountId), "type");
        cases.put(ApiClient.map("accountId", account.id(), "type", "quartz-details", "bankAccountId", bankAccountId),
                "bankAccountId");
        cases.put(ApiClient.map("accountId", account.id(), "type", "quartz-details", "redirectUri", "ftp://x"),
                "redirectUri");
        cases.put("{\"accountId\": ", "JSON");
        long events = eventCount();
        for (Map.Entry<Object, String> entry : cases.entrySet()) {
            Response refused = create(account, entry.getKey());
            assertThat(refused.status()).as(entry.getKey() + " -> " + refused).isEqualTo(400);
            assertThat(refused.message()).as(entry.getKey() + " -> " + refused).contains(entry.getValue());
        }
        Response request = detailsRequest(account);
        for (Object body : List.of(ApiClient.map(), ApiClient.map("code", ""), ApiClient.map("code", 5), "{")) {
            Response refused = authorize(request.text("id"), account.key(), body);
            assertThat(refused.status()).as(body + " -> " + refused).isEqualTo(400);
        }
        assertThat(statusOf(request.text("id"), account)).isEqualTo("created");
        assertThat(eventCount()).as("only the one valid request stored events").isEqualTo(events + 1);
    }

    @Test
    void aRequestTakesTheAccountsLiveness() {
        TestAccount live = newAccount(false);
        long events = eventCount();
        // No live provider is configured in the tests; a live account's request is a live one.
        assertRefused(create(live, ApiClient.map("accountId", live.id(), "type", "quartz-details")), 403,
                "LIVE_PROVIDER_NOT_CONFIGURED");
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void authorizingADoneRequestIsRefused() {
        TestAccount account = newAccount(true);
        Response request = detailsRequest(account);
        String id = request.text("id");
        SandboxBrowser.Consent consent = browser.approve(request.text("authorizationUrl"));
        assertEmptyObject(authorize(id, account.key(), ApiClient.map("code", consent.code())));
        long events = eventCount();

        assertRefused(authorize(id, account.key(), ApiClient.map("code", consent.code())), 403,
                "BANK_ACCOUNT_REQUEST_ALREADY_DONE");
        assertRefused(authorize(id, account.key(), ApiClient.map("code", "other")), 403,
                "BANK_ACCOUNT_REQUEST_ALREADY_DONE");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(statusOf(id, account)).isEqualTo("done");
        assertThat(bankAccounts(account).size()).isEqualTo(2);
    }

    @Test
    void aRejectedCodeFailsTheRequest() {
        TestAccount account = newAccount(true);
        Response request = detailsRequest(account);
        String id = request.text("id");
        SandboxBrowser.Consent consent = browser.approve(request.text("authorizationUrl"));

        assertRefused(authorize(id, account.key(), ApiClient.map("code", "not-the-code")), 403,
                "AUTHORIZATION_CODE_INVALID");
        assertThat(statusOf(id, account)).isEqualTo("failed");
        assertRefused(authorize(id, account.key(), ApiClient.map("code", consent.code())), 403,
                "BANK_ACCOUNT_REQUEST_FAILED");
        assertThat(statusOf(id, account)).isEqualTo("failed");
        assertThat(bankAccounts(account).size()).isZero();

        Response other = detailsRequest(account);
        assertRefused(authorize(other.text("id"), account.key(),
                ApiClient.map("code", consent.code(), "state", "wrong")), 403, "STATE_MISMATCH");
        assertThat(statusOf(other.text("id"), account)).isEqualTo("created");
    }

    @Test
    void theTwoFacesDoNotSeeEachOthersIds() {
        TestAccount account = newAccount(true);
        Response request = detailsRequest(account);
        Response intent = api.post(INTENTS, account.key(), ApiClient.map(
                "accountId", account.id(), "type", "account-information-consent", "test", true));
        assertThat(intent.status()).as(intent.toString()).isEqualTo(200);
        SandboxBrowser.Consent requestConsent = browser.approve(request.text("authorizationUrl"));
        SandboxBrowser.Consent intentConsent = browser.approve(intent.text("authorizationUrl"));
        long events = eventCount();

        assertRefused(getRequest(intent.text("id"), account.key()), 404, "BANK_ACCOUNT_REQUEST_NOT_FOUND");
        assertRefused(authorize(intent.text("id"), account.key(), ApiClient.map("code", intentConsent.code())), 404,
                "BANK_ACCOUNT_REQUEST_NOT_FOUND");
        assertRefused(api.get(INTENTS + "/" + request.text("id"), account.key()), 404,
                "CONNECTION_INTENT_NOT_FOUND");
        assertRefused(api.post(INTENTS + "/" + request.text("id") + "/authorize",
                account.key(), ApiClient.map("code", requestConsent.code())), 404, "CONNECTION_INTENT_NOT_FOUND");
        for (String unknown : List.of("DcTs3U38HdhfEqwF1GKoT3", "not-an-id")) {
            assertRefused(getRequest(unknown, account.key()), 404, "BANK_ACCOUNT_REQUEST_NOT_FOUND");
            assertRefused(authorize(unknown, account.key(), ApiClient.map("code", "abc")), 404,
                    "BANK_ACCOUNT_REQUEST_NOT_FOUND");
        }
        assertThat(eventCount()).isEqualTo(events);

        // Each is still authorized on its own face with its own code.
        assertEmptyObject(authorize(request.text("id"), account.key(), ApiClient.map("code", requestConsent.code())));
        assertEmptyObject(api.post(INTENTS + "/" + intent.text("id") + "/authorize",
                account.key(), ApiClient.map("code", intentConsent.code())));
        assertThat(statusOf(request.text("id"), account)).isEqualTo("done");
        assertThat(api.get(INTENTS + "/" + intent.text("id"), account.key()).text("status"))
                .isEqualTo("authorized");
    }

    @Test
    void anotherAccountsKeyFindsNothing() {
        TestAccount owner = newAccount(true);
        TestAccount intruder = newAccount(true);
        String ownersBankAccount = newBankAccount(owner);
        Response request = detailsRequest(owner);
        String id = request.text("id");
        SandboxBrowser.Consent consent = browser.approve(request.text("authorizationUrl"));
        long events = eventCount();

        assertRefused(create(intruder, ApiClient.map("accountId", owner.id(), "type", "quartz-details")), 404,
                "ACCOUNT_NOT_FOUND");
        assertRefused(create(intruder, ApiClient.map("accountId", intruder.id(), "type", "quartz-payment",
                "bankAccountId", ownersBankAccount)), 404, "BANK_ACCOUNT_NOT_FOUND");
        assertRefused(getRequest(id, intruder.key()), 404, "BANK_ACCOUNT_REQUEST_NOT_FOUND");
        assertRefused(authorize(id, intruder.key(), ApiClient.map("code", consent.code())), 404,
                "BANK_ACCOUNT_REQUEST_NOT_FOUND");
        assertRefused(api.post(REQUESTS, null, ApiClient.map("accountId", owner.id(), "type", "quartz-details")),
                401, "API_KEY_REQUIRED");
        assertRefused(getRequest(id, null), 401, "API_KEY_REQUIRED");
        assertRefused(authorize(id, null, ApiClient.map("code", consent.code())), 401, "API_KEY_REQUIRED");
        assertThat(eventCount()).isEqualTo(events);

        assertEmptyObject(authorize(id, owner.key(), ApiClient.map("code", consent.code())));
        assertThat(statusOf(id, owner)).isEqualTo("done");
        assertThat(bankAccounts(intruder).size()).isZero();
    }
}
