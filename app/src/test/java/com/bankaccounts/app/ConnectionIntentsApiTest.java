package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Creating connection intents over real HTTP: the type names, the payment terms' defaults, validation of every
 * body, liveness, and access by other keys (unknown and foreign answer 404 alike).
 */
class ConnectionIntentsApiTest extends ConnectionIntentApiTestSupport {

    @Test
    void thePeriodDefaultsToDailyAndEveryPeriodIsAccepted() {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);
        Response created = created(account, ApiClient.map("accountId", account.id(),
                "type", "enduring-payment-consent", "bankAccountId", bankAccountId, "test", true));
        assertThat(created.text("period")).isEqualTo("daily");
        assertThat(created.json().has("name")).isFalse();
        assertThat(created.json().has("totalAmount")).isFalse();
        SandboxBrowser.Consent consent = browser.approve(created.text("authorizationUrl"));
        assertEmptyObject(authorize(created.text("id"), account.key(), ApiClient.map("code", consent.code())));
        JsonNode approval = approvalsOf(bankAccountId, account).get(0);
        assertThat(approval.get("type").asString()).isEqualTo("payment-consent");
        assertThat(approval.get("period").asString()).isEqualTo("daily");
        assertThat(approval.has("name")).as(approval.toString()).isFalse();
        assertThat(approval.has("totalAmount")).as(approval.toString()).isFalse();

        for (String period : List.of("daily", "weekly", "fortnightly", "monthly", "yearly")) {
            Response withPeriod = create(account, ApiClient.map("accountId", account.id(),
                    "type", "enduring-payment-consent", "bankAccountId", bankAccountId, "test", true,
                    "period", period, "totalAmount", "999999999999"));
            assertThat(withPeriod.status()).as(period + " -> " + withPeriod).isEqualTo(200);
            assertThat(withPeriod.text("period")).isEqualTo(period);
            assertThat(withPeriod.text("totalAmount")).isEqualTo("999999999999");
        }
    }

    @Test
    void theOlderTypeNamesAreAcceptedAndEchoed() {
        TestAccount account = newAccount(true);
        Response accounts = created(account, ApiClient.map("accountId", account.id(), "type", "quartz-accounts",
                "test", true));
        assertThat(accounts.text("type")).isEqualTo("quartz-accounts");
        assertThat(accounts.json().has("period")).isFalse();
        SandboxBrowser.Consent consent = browser.approve(accounts.text("authorizationUrl"));
        assertEmptyObject(authorize(accounts.text("id"), account.key(), ApiClient.map("code", consent.code())));
        JsonNode read = getIntent(accounts.text("id"), account.key()).json();
        assertThat(read.get("type").asString()).isEqualTo("quartz-accounts");
        assertThat(read.get("status").asString()).isEqualTo("authorized");
        Map<String, JsonNode> connected = bankAccountsByNumber(account);
        assertThat(connected.keySet()).containsExactlyInAnyOrderElementsOf(consent.numbers());

        String bankAccountId = connected.get(consent.numbers().get(0)).get("id").asString();
        Response payment = created(account, ApiClient.map("accountId", account.id(), "type", "quartz-payment",
                "bankAccountId", bankAccountId, "test", true, "name", "Rent", "period", "monthly",
                "totalAmount", "120000"));
        assertThat(payment.text("type")).isEqualTo("quartz-payment");
        assertThat(payment.text("period")).isEqualTo("monthly");
        SandboxBrowser.Consent paymentConsent = browser.approve(payment.text("authorizationUrl"));
        assertEmptyObject(authorize(payment.text("id"), account.key(), ApiClient.map("code", paymentConsent.code())));
        assertThat(getIntent(payment.text("id"), account.key()).text("type")).isEqualTo("quartz-payment");
        JsonNode approvals = approvalsOf(bankAccountId, account);
        assertThat(approvals.size()).as(approvals.toString()).isEqualTo(2);
        JsonNode paymentApproval = null;
        for (JsonNode approval : approvals) {
            if ("payment-consent".equals(approval.get("type").asString())) {
                paymentApproval = approval;
            } else {
                assertAccountConsent(approval, account, bankAccountId);
            }
        }
        assertThat(paymentApproval).as(approvals.toString()).isNotNull();
        assertThat(paymentApproval.get("status").asString()).isEqualTo("approved");
        assertThat(paymentApproval.get("name").asString()).isEqualTo("Rent");
        assertThat(paymentApproval.get("period").asString()).isEqualTo("monthly");
        assertThat(paymentApproval.get("totalAmount").asString()).isEqualTo("120000");
    }

    @Test
    void badInputAnswers400AndStoresNothing() {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);
        String id = account.id();
        String info = "account-information-consent";
        String payment = "enduring-payment-consent";
        Map<Object, String> cases = new LinkedHashMap<>();
        cases.put(ApiClient.map("type", info, "test", true), "accountId");
        cases.put(ApiClient.map("accountId", "", "type", info, "test", true), "accountId");
        cases.put(ApiClient.map("accountId", 12, "type", info, "test", true), "accountId");
        cases.put(ApiClient.map("accountId", id, "test", true), "type");
        cases.put(ApiClient.map("accountId", id, "type", "", "test", true), "type");
        cases.put(ApiClient.map("accountId", id, "type", null, "test", true), "type");
        cases.put(ApiClient.map("accountId", id, "type", "quartz-details", "test", true), "type");
        cases.put(ApiClient.map("accountId", id, "type", "ACCOUNT-INFORMATION-CONSENT", "test", true), "type");
        cases.put(ApiClient.map("accountId", id, "type", "payment-consent", "test", true), "type");
        cases.put(ApiClient.map("accountId", id, "type", 1, "test", true), "type");
        cases.put(ApiClient.map("accountId", id, "type", info, "test", "true"), "test");
        cases.put(ApiClient.map("accountId", id, "type", payment, "test", true), "bankAccountId");
        cases.put(ApiClient.map("accountId", id, "type", "quartz-payment", "test", true), "bankAccountId");
        cases.put(ApiClient.map("accountId", id, "type", payment, "test", true, "name", "Rent",
                "period", "weekly", "totalAmount", "100"), "bankAccountId");
        cases.put(ApiClient.map("accountId", id, "type", info, "bankAccountId", bankAccountId, "test", true),
                "bankAccountId");
        cases.put(ApiClient.map("accountId", id, "type", "quartz-accounts", "bankAccountId", bankAccountId,
                "test", true), "bankAccountId");
        cases.put(ApiClient.map("accountId", id, "type", info, "test", true, "name", "Rent"), "name");
        cases.put(ApiClient.map("accountId", id, "type", info, "test", true, "period", "daily"), "period");
        cases.put(ApiClient.map("accountId", id, "type", info, "test", true, "totalAmount", "100"), "totalAmount");
        cases.put(ApiClient.map("accountId", id, "type", "quartz-accounts", "test", true, "period", "weekly"),
                "period");
        for (Object period : List.of("hourly", "Daily", "", " weekly", 1)) {
            cases.put(ApiClient.map("accountId", id, "type", payment, "bankAccountId", bankAccountId, "test", true,
                    "period", period), "period");
        }
        for (Object totalAmount : List.of("0", "-1", "1.5", 100, "abc", "", "0100", "1000000000000", " 100")) {
            cases.put(ApiClient.map("accountId", id, "type", payment, "bankAccountId", bankAccountId, "test", true,
                    "totalAmount", totalAmount), "totalAmount");
        }
        cases.put(ApiClient.map("accountId", id, "type", payment, "bankAccountId", bankAccountId, "test", true,
                "name", "x".repeat(201)), "name must be at most 200 characters long");
        cases.put(ApiClient.map("accountId", id, "type", payment, "bankAccountId", bankAccountId, "test", true,
                "name", "\uD83D\uDCB0".repeat(201)), "name must be at most 200 characters long");
        cases.put(ApiClient.map("accountId", id, "type", payment, "bankAccountId", bankAccountId, "test", true,
                "name", 5), "name");
        for (String blank : List.of("", "  ", "\n")) {
            cases.put(ApiClient.map("accountId", id, "type", payment, "bankAccountId", bankAccountId, "test", true,
                    "name", blank), "name must not be blank");
        }
        for (String redirectUri : List.of("not a url", "ftp://x", "javascript:alert(1)", "/relative/path",
                "https://client.example/cb#fragment", "https:///no-host", "", "http://client.example/cb",
                "https://user:secret@client.example/cb")) {
            cases.put(ApiClient.map("accountId", id, "type", info, "test", true, "redirectUri", redirectUri),
                    "redirectUri");
        }
        cases.put(ApiClient.map("accountId", id, "type", info, "test", true,
                "redirectUri", "https://client.example/" + "x".repeat(2000)), "redirectUri");
        cases.put("{\"accountId\": \"" + id + "\", \"type\": ", "JSON");
        cases.put("[]", "");
        cases.put("\"account-information-consent\"", "");

        long events = eventCount();
        for (Map.Entry<Object, String> entry : cases.entrySet()) {
            Response refused = create(account, entry.getKey());
            assertThat(refused.status()).as(entry.getKey() + " -> " + refused).isEqualTo(400);
            assertThat(refused.message()).as(entry.getKey() + " -> " + refused).isNotBlank()
                    .contains(entry.getValue());
            assertThat(refused.json().get("statusCode").asInt()).isEqualTo(400);
            assertThat(refused.json().get("error").asString()).isEqualTo("Bad Request");
        }
        Response noBody = api.send(api.request(INTENTS, account.key())
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(noBody.status()).as(noBody.toString()).isEqualTo(400);
        Response notJson = api.postRaw(INTENTS, account.key(), "text/plain", "accountId=" + id);
        assertThat(notJson.status()).as(notJson.toString()).isEqualTo(415);

        assertThat(eventCount()).as("refused requests store no events").isEqualTo(events);
        assertThat(intentsStoredFor(account)).isZero();
        assertThat(bankAccounts(account).size()).isEqualTo(1);
    }

    @Test
    void badAuthorizeBodiesAnswer400AndLeaveTheIntentAsItWas() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        String id = intent.text("id");
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        long events = eventCount();

        Map<Object, String> cases = new LinkedHashMap<>();
        cases.put(ApiClient.map(), "code is required");
        cases.put(ApiClient.map("state", consent.state()), "code is required");
        cases.put(ApiClient.map("code", ""), "code is required");
        cases.put(ApiClient.map("code", "   "), "code is required");
        cases.put(ApiClient.map("code", null), "code is required");
        cases.put(ApiClient.map("code", 123), "code");
        cases.put(ApiClient.map("code", consent.code(), "state", 7), "state");
        cases.put(ApiClient.map("code", "x".repeat(2049)), "code");
        cases.put(ApiClient.map("code", consent.code(), "state", "s".repeat(129)), "state");
        // Outside RFC 6749's characters: before, the provider refused such a code and the intent failed for good.
        cases.put(ApiClient.map("code", "a\u0001b"), "code must be printable ASCII");
        cases.put(ApiClient.map("code", "\u00e9\u00e9"), "code must be printable ASCII");
        cases.put(ApiClient.map("code", "\u202e" + consent.code()), "code must be printable ASCII");
        cases.put(ApiClient.map("code", consent.code(), "state", consent.state() + "\u00e9"),
                "state must be printable ASCII");
        cases.put("{\"code\": ", "JSON");
        for (Map.Entry<Object, String> entry : cases.entrySet()) {
            Response refused = authorize(id, account.key(), entry.getKey());
            assertThat(refused.status()).as(entry.getKey() + " -> " + refused).isEqualTo(400);
            assertThat(refused.message()).as(entry.getKey() + " -> " + refused).contains(entry.getValue());
        }
        Response noBody = api.send(api.request(INTENTS + "/" + id + "/authorize", account.key())
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(noBody.status()).as(noBody.toString()).isEqualTo(400);
        assertThat(eventCount()).isEqualTo(events);
        assertThat(statusOf(id, account)).isEqualTo("created");

        assertEmptyObject(authorize(id, account.key(), ApiClient.map("code", consent.code())));
        assertThat(statusOf(id, account)).isEqualTo("authorized");
    }

    @Test
    void testAndLiveCannotBeMixed() {
        TestAccount test = newAccount(true);
        TestAccount live = newAccount(false);
        String testBankAccountId = newBankAccount(test);
        Response liveBankAccount = createBankAccount(live, uniqueLiveNumber());
        assertThat(liveBankAccount.status()).as(liveBankAccount.toString()).isEqualTo(200);
        String liveBankAccountId = liveBankAccount.text("id");
        long events = eventCount();

        // A test intent on a live account, with or without a (live) bank account.
        assertRefused(create(live, ApiClient.map("accountId", live.id(), "type", "account-information-consent",
                "test", true)), 403, "LIVENESS_MISMATCH");
        assertRefused(create(live, ApiClient.map("accountId", live.id(), "type", "enduring-payment-consent",
                "bankAccountId", liveBankAccountId, "test", true)), 403, "LIVENESS_MISMATCH");
        // A live intent (test false or left out) on a test account, with or without a (test) bank account.
        assertRefused(create(test, ApiClient.map("accountId", test.id(), "type", "account-information-consent")),
                403, "LIVENESS_MISMATCH");
        assertRefused(create(test, ApiClient.map("accountId", test.id(), "type", "account-information-consent",
                "test", false)), 403, "LIVENESS_MISMATCH");
        assertRefused(create(test, ApiClient.map("accountId", test.id(), "type", "enduring-payment-consent",
                "bankAccountId", testBankAccountId, "test", false)), 403, "LIVENESS_MISMATCH");
        // The admin key acting for the accounts meets the same rule.
        assertRefused(api.post(INTENTS, ADMIN_KEY, ApiClient.map("accountId", live.id(),
                "type", "account-information-consent", "test", true)), 403, "LIVENESS_MISMATCH");

        assertThat(eventCount()).isEqualTo(events);
        assertThat(intentsStoredFor(test) + intentsStoredFor(live)).isZero();
    }

    @Test
    void liveIntentsNeedALiveProviderWhichTestsDoNotConfigure() {
        TestAccount live = newAccount(false);
        Response liveBankAccount = createBankAccount(live, uniqueLiveNumber());
        assertThat(liveBankAccount.status()).as(liveBankAccount.toString()).isEqualTo(200);
        long events = eventCount();

        assertRefused(create(live, ApiClient.map("accountId", live.id(), "type", "account-information-consent")),
                403, "LIVE_PROVIDER_NOT_CONFIGURED");
        assertRefused(create(live, ApiClient.map("accountId", live.id(), "type", "account-information-consent",
                "test", false)), 403, "LIVE_PROVIDER_NOT_CONFIGURED");
        assertRefused(create(live, ApiClient.map("accountId", live.id(), "type", "enduring-payment-consent",
                "bankAccountId", liveBankAccount.text("id"), "name", "Rent", "period", "monthly",
                "totalAmount", "100000")), 403, "LIVE_PROVIDER_NOT_CONFIGURED");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(intentsStoredFor(live)).isZero();
    }

    @Test
    void unknownIntentsAccountsAndBankAccountsAnswer404() {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);
        for (String unknown : List.of(UNKNOWN_ID, "not-an-id", bankAccountId, account.id())) {
            assertRefused(getIntent(unknown, account.key()), 404, "CONNECTION_INTENT_NOT_FOUND");
            assertRefused(getIntent(unknown, ADMIN_KEY), 404, "CONNECTION_INTENT_NOT_FOUND");
            assertRefused(authorize(unknown, account.key(), ApiClient.map("code", "abc")), 404,
                    "CONNECTION_INTENT_NOT_FOUND");
            assertRefused(authorize(unknown, ADMIN_KEY, ApiClient.map("code", "abc")), 404,
                    "CONNECTION_INTENT_NOT_FOUND");
        }
        long events = eventCount();
        assertRefused(create(account, ApiClient.map("accountId", UNKNOWN_ID, "type", "account-information-consent",
                "test", true)), 404, "ACCOUNT_NOT_FOUND");
        assertRefused(api.post(INTENTS, ADMIN_KEY, ApiClient.map("accountId", UNKNOWN_ID,
                "type", "account-information-consent", "test", true)), 404, "ACCOUNT_NOT_FOUND");
        for (String unknownBankAccount : List.of(UNKNOWN_ID, "not-an-id")) {
            assertRefused(create(account, ApiClient.map("accountId", account.id(), "type", "enduring-payment-consent",
                    "bankAccountId", unknownBankAccount, "test", true)), 404, "BANK_ACCOUNT_NOT_FOUND");
        }
        assertThat(eventCount()).isEqualTo(events);
        assertThat(intentsStoredFor(account)).isZero();
    }

    @Test
    void anotherAccountsKeyFindsNothingAndChangesNothing() {
        TestAccount owner = newAccount(true);
        TestAccount intruder = newAccount(true);
        String ownersBankAccount = newBankAccount(owner);
        Response intent = accountInformationIntent(owner);
        String id = intent.text("id");
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        long events = eventCount();

        assertRefused(create(intruder, ApiClient.map("accountId", owner.id(), "type", "account-information-consent",
                "test", true)), 404, "ACCOUNT_NOT_FOUND");
        assertRefused(create(intruder, ApiClient.map("accountId", owner.id(), "type", "enduring-payment-consent",
                "bankAccountId", ownersBankAccount, "test", true)), 404, "ACCOUNT_NOT_FOUND");
        assertRefused(create(intruder, ApiClient.map("accountId", intruder.id(), "type", "enduring-payment-consent",
                "bankAccountId", ownersBankAccount, "test", true)), 404, "BANK_ACCOUNT_NOT_FOUND");
        assertRefused(getIntent(id, intruder.key()), 404, "CONNECTION_INTENT_NOT_FOUND");
        assertRefused(authorize(id, intruder.key(), ApiClient.map("code", consent.code())), 404,
                "CONNECTION_INTENT_NOT_FOUND");
        assertRefused(authorize(id, intruder.key(), ApiClient.map("code", consent.code(), "state", consent.state())),
                404, "CONNECTION_INTENT_NOT_FOUND");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(intentsStoredFor(intruder)).isZero();
        assertThat(bankAccounts(intruder).size()).isZero();

        for (String key : List.of("", owner.key() + "x")) {
            String expected = key.isEmpty() ? "API_KEY_REQUIRED" : "API_KEY_INVALID";
            String presented = key.isEmpty() ? null : key;
            assertRefused(api.post(INTENTS, presented, ApiClient.map("accountId", owner.id(),
                    "type", "account-information-consent", "test", true)), 401, expected);
            assertRefused(getIntent(id, presented), 401, expected);
            assertRefused(authorize(id, presented, ApiClient.map("code", consent.code())), 401, expected);
        }
        assertThat(eventCount()).isEqualTo(events);

        // The admin key sees the intent; the owner's code is still good.
        assertThat(getIntent(id, ADMIN_KEY).json()).isEqualTo(getIntent(id, owner.key()).json());
        assertEmptyObject(authorize(id, owner.key(), ApiClient.map("code", consent.code())));
        assertThat(statusOf(id, owner)).isEqualTo("authorized");
        assertRefused(getIntent(id, intruder.key()), 404, "CONNECTION_INTENT_NOT_FOUND");
        assertThat(bankAccounts(intruder).size()).isZero();
        assertThat(bankAccountsByNumber(owner).keySet()).containsAll(consent.numbers());
    }
}
