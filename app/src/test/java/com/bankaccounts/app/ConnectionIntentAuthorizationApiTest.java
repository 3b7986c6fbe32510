package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Authorizing connection intents over real HTTP: what a grant links (reusing held bank accounts, within the limits,
 * all or nothing), codes that are refused, spent or in flight, and states that do not match.
 */
class ConnectionIntentAuthorizationApiTest extends ConnectionIntentApiTestSupport {

    @Test
    void bankAccountsTheAccountAlreadyHoldsAreReusedNotDuplicated() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        List<String> numbers = browser.openConsentPage(intent.text("authorizationUrl"));
        Response existing = createBankAccount(account, numbers.get(0));
        assertThat(existing.status()).as(existing.toString()).isEqualTo(200);
        String existingId = existing.text("id");

        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        assertEmptyObject(authorize(intent.text("id"), account.key(), ApiClient.map("code", consent.code())));

        Map<String, JsonNode> connected = bankAccountsByNumber(account);
        assertThat(connected.keySet()).containsExactlyInAnyOrderElementsOf(numbers);
        JsonNode reused = connected.get(numbers.get(0));
        assertThat(reused.get("id").asString()).isEqualTo(existingId);
        assertThat(reused.get("bankAccountName").asString()).as("the existing bank account is kept as it was")
                .isEqualTo("John Doe");
        for (JsonNode bankAccount : connected.values()) {
            JsonNode approvals = approvalsOf(bankAccount.get("id").asString(), account);
            assertThat(approvals.size()).as(approvals.toString()).isEqualTo(1);
            assertAccountConsent(approvals.get(0), account, bankAccount.get("id").asString());
        }
        // The intent names what it linked: the bank accounts, reused or new, and each one's consent approval.
        JsonNode authorized = api.get("/api/bank-account-connection-intents/" + intent.text("id"), account.key())
                .json();
        List<String> linked = authorized.get("bankAccountIds").valueStream().map(JsonNode::asString).toList();
        assertThat(linked).containsExactlyInAnyOrderElementsOf(connected.values().stream()
                .map(bankAccount -> bankAccount.get("id").asString()).toList());
        for (int i = 0; i < linked.size(); i++) {
            assertThat(approvalsOf(linked.get(i), account).get(0).get("id").asString())
                    .isEqualTo(authorized.get("approvalIds").get(i).asString());
        }
    }

    @Test
    void authorizingIntoAFullAccountIsRefusedAndCreatesNothing() {
        TestAccount account = newAccount(true);
        for (int i = 0; i < 9; i++) {
            newBankAccount(account);
        }
        Response intent = accountInformationIntent(account);
        String id = intent.text("id");
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        Set<String> before = bankAccountsByNumber(account).keySet();
        long events = eventCount();

        assertRefused(authorize(id, account.key(), ApiClient.map("code", consent.code())), 403,
                "BANK_ACCOUNT_LIMIT_EXCEEDED");

        assertThat(eventCount()).as("the whole authorization is rolled back").isEqualTo(events);
        assertThat(bankAccountsByNumber(account).keySet()).isEqualTo(before).hasSize(9)
                .doesNotContainAnyElementsOf(consent.numbers());
        for (JsonNode bankAccount : bankAccounts(account)) {
            assertThat(bankAccount.get("approvals").size()).as(bankAccount.toString()).isZero();
        }
        assertThat(statusOf(id, account)).isEqualTo("created");
        // The provider has used the code up, but the grant it returned is kept: the same code meets the same rule
        // again, without a second exchange.
        assertRefused(authorize(id, account.key(), ApiClient.map("code", consent.code())), 403,
                "BANK_ACCOUNT_LIMIT_EXCEEDED");
        assertThat(statusOf(id, account)).isEqualTo("created");
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void theLimitCountsOnlyTheBankAccountsThatAreNew() {
        TestAccount account = newAccount(true);
        for (int i = 0; i < 8; i++) {
            newBankAccount(account);
        }
        Response intent = accountInformationIntent(account);
        List<String> numbers = browser.openConsentPage(intent.text("authorizationUrl"));
        assertThat(createBankAccount(account, numbers.get(1)).status()).isEqualTo(200);

        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        assertEmptyObject(authorize(intent.text("id"), account.key(), ApiClient.map("code", consent.code())));
        Map<String, JsonNode> connected = bankAccountsByNumber(account);
        assertThat(connected).hasSize(10);
        assertThat(connected.keySet()).containsAll(numbers);
        assertThat(statusOf(intent.text("id"), account)).isEqualTo("authorized");
    }

    @Test
    void anEnduringPaymentConsentApprovesAPaymentConsentOnTheBankAccount() {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);
        Response created = created(account, ApiClient.map("accountId", account.id(),
                "type", "enduring-payment-consent", "bankAccountId", bankAccountId, "test", true,
                "name", "Groceries", "period", "weekly", "totalAmount", "50000"));
        JsonNode body = created.json();
        assertThat(body.get("type").asString()).isEqualTo("enduring-payment-consent");
        assertThat(body.get("status").asString()).isEqualTo("created");
        assertThat(body.get("bankAccountId").asString()).isEqualTo(bankAccountId);
        assertThat(body.get("name").asString()).isEqualTo("Groceries");
        assertThat(body.get("period").asString()).isEqualTo("weekly");
        assertThat(body.get("totalAmount").asString()).isEqualTo("50000");
        assertThat(body.get("test").asBoolean()).isTrue();
        assertThat(getIntent(body.get("id").asString(), account.key()).json()).isEqualTo(body);

        SandboxBrowser.Consent consent = browser.approve(body.get("authorizationUrl").asString());
        assertEmptyObject(authorize(body.get("id").asString(), account.key(),
                ApiClient.map("code", consent.code(), "state", consent.state())));
        assertThat(statusOf(body.get("id").asString(), account)).isEqualTo("authorized");

        JsonNode approval = groceriesPaymentConsent(account, bankAccountId);
        assertThat(approval.get("refreshToken").asString()).isNotBlank();
        assertThat(approval.get("consentId").asString()).isNotBlank();
        // A payment consent connects no accounts of the provider.
        JsonNode all = bankAccounts(account);
        assertThat(all.size()).as(all.toString()).isEqualTo(1);
        assertThat(all.get(0).get("approvals").get(0).get("type").asString()).isEqualTo("payment-consent");
        assertThat(all.get(0).get("approvals").get(0).get("status").asString()).isEqualTo("approved");
    }

    @Test
    void authorizingTwiceIsRefused() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        String id = intent.text("id");
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        assertEmptyObject(authorize(id, account.key(), ApiClient.map("code", consent.code())));
        String before = getIntent(id, account.key()).body();
        long events = eventCount();

        assertRefused(authorize(id, account.key(), ApiClient.map("code", consent.code())), 403,
                "CONNECTION_INTENT_ALREADY_AUTHORIZED");
        assertRefused(authorize(id, account.key(), ApiClient.map("code", "another-code")), 403,
                "CONNECTION_INTENT_ALREADY_AUTHORIZED");
        assertRefused(authorize(id, account.key(), ApiClient.map("code", consent.code(), "state", consent.state())),
                403, "CONNECTION_INTENT_ALREADY_AUTHORIZED");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(getIntent(id, account.key()).body()).isEqualTo(before);
        assertThat(bankAccounts(account).size()).isEqualTo(2);
    }

    @Test
    void aRejectedCodeFailsTheIntentForGood() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        String id = intent.text("id");
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));

        assertRefused(authorize(id, account.key(), ApiClient.map("code", consent.code() + "x")), 403,
                "AUTHORIZATION_CODE_INVALID");
        JsonNode failed = getIntent(id, account.key()).json();
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("updatedBy").asString()).isEqualTo(crn(account));

        long events = eventCount();
        assertRefused(authorize(id, account.key(), ApiClient.map("code", consent.code())), 403,
                "CONNECTION_INTENT_FAILED");
        assertRefused(authorize(id, account.key(), ApiClient.map("code", "whatever")), 403,
                "CONNECTION_INTENT_FAILED");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(statusOf(id, account)).isEqualTo("failed");
        assertThat(bankAccounts(account).size()).isZero();
    }

    @Test
    void anExpiredCodeIsRejected() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        // The sandbox bank's codes live ten minutes; this one was issued eleven minutes ago.
        int aged = jdbc.sql("UPDATE sandbox_consents SET code_issued_at = code_issued_at - INTERVAL '11 minutes'"
                + " WHERE state = ?").param(consent.state()).update();
        assertThat(aged).isEqualTo(1);

        assertRefused(authorize(intent.text("id"), account.key(), ApiClient.map("code", consent.code())), 403,
                "AUTHORIZATION_CODE_INVALID");
        assertThat(statusOf(intent.text("id"), account)).isEqualTo("failed");
        assertThat(bankAccounts(account).size()).isZero();
    }

    @Test
    void anExchangeInFlightOnAnyProcessHoldsOffASecondAuthorizationUntilItIsAbandoned() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        String id = intent.text("id");
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        jdbc.sql("""
                        UPDATE connection_intent_registry SET exchange_claim = 'another-process',
                            exchange_started_at = CURRENT_TIMESTAMP
                        WHERE connection_intent_id = ?""")
                .param(id).update();
        assertRefused(authorize(id, account.key(), ApiClient.map("code", consent.code())), 409,
                "AUTHORIZATION_IN_PROGRESS");
        assertThat(statusOf(id, account)).isEqualTo("created");

        jdbc.sql("""
                        UPDATE connection_intent_registry SET exchange_started_at = CURRENT_TIMESTAMP - INTERVAL '2 minutes'
                        WHERE connection_intent_id = ?""")
                .param(id).update();
        assertEmptyObject(authorize(id, account.key(), ApiClient.map("code", consent.code())));
        assertThat(statusOf(id, account)).isEqualTo("authorized");
    }

    @Test
    void racingAuthorizationsWithOneCodeConnectOnce() throws Exception {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        String id = intent.text("id");
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(() -> authorize(id, account.key(), ApiClient.map("code", consent.code())));
        }
        List<Response> responses = inParallel(calls);

        assertThat(responses.stream().filter(response -> response.status() == 200).count())
                .as(responses.toString()).isEqualTo(1);
        // The others came while the code was being exchanged (409), or after the intent was authorized (403).
        responses.stream().filter(response -> response.status() != 200).forEach(response -> {
            if (response.status() == 409) {
                assertRefused(response, 409, "AUTHORIZATION_IN_PROGRESS");
            } else {
                assertRefused(response, 403, "CONNECTION_INTENT_ALREADY_AUTHORIZED");
            }
        });
        assertThat(statusOf(id, account)).isEqualTo("authorized");
        Map<String, JsonNode> connected = bankAccountsByNumber(account);
        assertThat(connected.keySet()).containsExactlyInAnyOrderElementsOf(consent.numbers());
        for (JsonNode bankAccount : connected.values()) {
            assertThat(approvalsOf(bankAccount.get("id").asString(), account).size()).isEqualTo(1);
        }
        long authorizedEvents = jdbc.sql("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?")
                .param(id).query(Long.class).single();
        assertThat(authorizedEvents).as("created, then authorized once").isEqualTo(2);
    }

    @Test
    void aCodeBeforeAnyConsentIsRejected() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        assertRefused(authorize(intent.text("id"), account.key(), ApiClient.map("code", "hKpKupTM391pE10xfQiorMxX")),
                403, "AUTHORIZATION_CODE_INVALID");
        assertThat(statusOf(intent.text("id"), account)).isEqualTo("failed");
    }

    @Test
    void aCodeOfAnotherIntentIsRejected() {
        TestAccount account = newAccount(true);
        Response first = accountInformationIntent(account);
        Response second = accountInformationIntent(account);
        SandboxBrowser.Consent firstConsent = browser.approve(first.text("authorizationUrl"));

        assertRefused(authorize(second.text("id"), account.key(), ApiClient.map("code", firstConsent.code())), 403,
                "AUTHORIZATION_CODE_INVALID");
        assertThat(statusOf(second.text("id"), account)).isEqualTo("failed");
        assertThat(bankAccounts(account).size()).isZero();

        // The code was not used up by the other intent's attempt.
        assertEmptyObject(authorize(first.text("id"), account.key(), ApiClient.map("code", firstConsent.code())));
        assertThat(statusOf(first.text("id"), account)).isEqualTo("authorized");
        assertThat(bankAccountsByNumber(account).keySet()).containsExactlyInAnyOrderElementsOf(firstConsent.numbers());

        // Nor does a code of another account's intent work.
        TestAccount other = newAccount(true);
        Response othersIntent = accountInformationIntent(other);
        SandboxBrowser.Consent othersConsent = browser.approve(othersIntent.text("authorizationUrl"));
        Response third = accountInformationIntent(account);
        assertRefused(authorize(third.text("id"), account.key(), ApiClient.map("code", othersConsent.code())), 403,
                "AUTHORIZATION_CODE_INVALID");
        assertEmptyObject(authorize(othersIntent.text("id"), other.key(), ApiClient.map("code", othersConsent.code())));
    }

    @Test
    void aWrongStateIsRefusedAndChangesNothing() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        Response other = accountInformationIntent(account);
        String id = intent.text("id");
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        long events = eventCount();

        assertRefused(authorize(id, account.key(), ApiClient.map("code", consent.code(), "state", "wrong")), 403,
                "STATE_MISMATCH");
        assertRefused(authorize(id, account.key(), ApiClient.map("code", consent.code(),
                "state", SandboxBrowser.stateOf(other.text("authorizationUrl")))), 403, "STATE_MISMATCH");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(statusOf(id, account)).isEqualTo("created");

        assertEmptyObject(authorize(id, account.key(), ApiClient.map("code", consent.code(), "state", consent.state())));
        assertThat(statusOf(id, account)).isEqualTo("authorized");
    }
}
