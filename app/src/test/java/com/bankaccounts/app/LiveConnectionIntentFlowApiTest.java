package com.bankaccounts.app;

import static com.bankaccounts.app.LiveProvider.DEFAULT_REDIRECT_URI;
import static com.bankaccounts.app.LiveProvider.accessToken;
import static com.bankaccounts.app.LiveProvider.accountsAnswer;
import static com.bankaccounts.app.LiveProvider.consentId;
import static com.bankaccounts.app.LiveProvider.grant;
import static com.bankaccounts.app.LiveProvider.json;
import static com.bankaccounts.app.LiveProvider.newCode;
import static com.bankaccounts.app.LiveProvider.query;
import static com.bankaccounts.app.LiveProvider.refreshToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The live connection-intent flow against a scripted OAuth 2.0 authorization server on a local port: what an
 * authorization creates, that the limits hold with nothing half-created, refused codes, states and callers, and
 * liveness. (How the provider is spoken to - PKCE, the token request, its failures - is in
 * {@link LiveProviderProtocolApiTest}.)
 */
class LiveConnectionIntentFlowApiTest extends LiveProviderApiTestSupport {

    @Test
    void anEnduringPaymentConsentBecomesAnApprovedPaymentConsentWithItsTerms() {
        TestAccount account = newAccount(false);
        Response bankAccount = createBankAccount(account, liveNumber());
        assertThat(bankAccount.status()).as(bankAccount.toString()).isEqualTo(200);
        String bankAccountId = bankAccount.text("id");

        Response intent = create(account, ApiClient.map("accountId", account.id(),
                "type", "enduring-payment-consent", "bankAccountId", bankAccountId,
                "name", "Groceries", "period", "weekly", "totalAmount", "50000"));
        assertThat(intent.status()).as(intent.toString()).isEqualTo(200);
        assertThat(intent.text("name")).isEqualTo("Groceries");
        assertThat(intent.text("bankAccountId")).isEqualTo(bankAccountId);
        Map<String, String> query = query(intent.text("authorizationUrl"));
        assertThat(query).containsEntry("redirect_uri", DEFAULT_REDIRECT_URI).containsKey("scope");

        String code = newCode("payment");
        PROVIDER.token(code, grant(code));

        assertEmptyObject(authorize(account, intent.text("id"), code, query.get("state")));

        assertThat(PROVIDER.tokenRequests(code)).hasSize(1);
        assertThat(PROVIDER.accountsRequests(accessToken(code)))
                .as("a payment consent does not read the accounts").isEmpty();
        assertThat(statusOf(intent.text("id"), account)).isEqualTo("authorized");

        JsonNode approval = groceriesPaymentConsent(account, bankAccountId);
        assertThat(approval.get("refreshToken").asString()).isEqualTo(refreshToken(code));
        assertThat(approval.get("consentId").asString()).isEqualTo(consentId(code));
        assertThat(bankAccounts(account).size()).as("no bank account is created").isEqualTo(1);
    }

    @Test
    void twoSimultaneousAuthorizationsExchangeTheCodeOnce() throws Exception {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("race");
        PROVIDER.token(code, grant(code));
        PROVIDER.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", liveNumber(),
                "name", "Everyday")));

        List<Response> answers = inParallel(List.of(
                () -> authorize(account, intent.id(), code, intent.state()),
                () -> authorize(account, intent.id(), code, intent.state())));

        // The loser came either while the code was being exchanged (409) or after the intent was authorized (403).
        assertThat(answers).filteredOn(answer -> answer.status() == 200).as(answers.toString()).hasSize(1);
        assertThat(answers).filteredOn(answer -> answer.status() != 200).extracting(Response::message)
                .as(answers.toString()).containsAnyOf("AUTHORIZATION_IN_PROGRESS", "CONNECTION_INTENT_ALREADY_AUTHORIZED")
                .hasSize(1);
        assertThat(PROVIDER.tokenRequests(code)).hasSize(1);
        assertThat(bankAccounts(account).size()).isEqualTo(1);
    }

    /**
     * Two intents of one account authorized at once, their providers sharing a number: both are authorized and link
     * the one bank account. Before, both made a bank account of it and the second was refused DUPLICATE_BANK_ACCOUNT.
     */
    @Test
    void twoAuthorizationsSharingANumberAtOnceLinkOneBankAccount() throws Exception {
        for (int round = 0; round < 3; round++) {
            TestAccount account = newAccount(false);
            String shared = liveNumber();
            List<Callable<Response>> authorizations = new ArrayList<>();
            CountDownLatch bothExchanging = new CountDownLatch(1);
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Intent intent = liveIntent(account);
                String code = newCode("shared-number");
                codes.add(code);
                PROVIDER.token(code, grant(code));
                PROVIDER.holdToken(code, bothExchanging);
                PROVIDER.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", shared,
                        "name", "Shared")));
                authorizations.add(() -> authorize(account, intent.id(), code, intent.state()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Response>> answers = authorizations.stream().map(pool::submit).toList();
                await().atMost(Duration.ofSeconds(10)).until(() -> codes.stream()
                        .allMatch(code -> !PROVIDER.tokenRequests(code).isEmpty()));
                bothExchanging.countDown();
                for (Future<Response> answer : answers) {
                    assertEmptyObject(answer.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(bankAccounts(account).size()).isEqualTo(1);
            assertThat(registeredHolders(shared)).isEqualTo(1);
        }
    }

    @Test
    void theKeyAgainWhileItsAuthorizationExchangesTheCodeIsInProgressAndRunsNothing() throws Exception {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("keyed");
        PROVIDER.token(code, grant(code));
        CountDownLatch release = new CountDownLatch(1);
        PROVIDER.holdToken(code, release);
        PROVIDER.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", liveNumber(), "name", "Bills")));
        String key = "authorize-" + UUID.randomUUID();
        Map<String, Object> body = ApiClient.map("code", code, "state", intent.state(), "idempotencyKey", key);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Response> first = pool.submit(() -> authorize(intent.id(), account.key(), body));
            await().atMost(Duration.ofSeconds(10)).until(() -> !PROVIDER.tokenRequests(code).isEmpty());

            assertRefused(authorize(intent.id(), account.key(), body), 409, "IDEMPOTENCY_KEY_IN_PROGRESS");
            // The claim row: what an earlier version, which knows no claims, replays is this same refusal.
            assertThat(jdbc.sql("SELECT status FROM idempotency_keys WHERE idempotency_key = ?").param(key)
                    .query(Integer.class).single()).isEqualTo(409);
            assertRefused(authorize(intent.id(), account.key(), ApiClient.map("code", code, "state", "another",
                    "idempotencyKey", key)), 422, "IDEMPOTENCY_KEY_REUSED");
            release.countDown();
            assertEmptyObject(first.get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertEmptyObject(authorize(intent.id(), account.key(), body));
        assertThat(PROVIDER.tokenRequests(code)).hasSize(1);
    }

    @Test
    void aKeyedAuthorizationThatIsNotKeptFreesItsKeyAtOnce() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("keyed-retry");
        PROVIDER.token(code, new MockResponse().setResponseCode(503), grant(code));
        PROVIDER.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", liveNumber(), "name", "Bills")));
        Map<String, Object> body = ApiClient.map("code", code, "state", intent.state(),
                "idempotencyKey", "authorize-" + UUID.randomUUID());

        Response unavailable = authorize(intent.id(), account.key(), body);
        assertThat(unavailable.status()).as(unavailable.toString()).isGreaterThanOrEqualTo(500);
        assertEmptyObject(authorize(intent.id(), account.key(), body));
    }

    @Test
    void theBankAccountLimitHoldsAndNothingIsHalfCreated() {
        TestAccount account = newAccount(false);
        for (int i = 0; i < 9; i++) {
            Response created = createBankAccount(account, liveNumber());
            assertThat(created.status()).as(created.toString()).isEqualTo(200);
        }
        Intent intent = liveIntent(account);
        String code = newCode("account-limit");
        String tenth = liveNumber();
        String eleventh = liveNumber();
        PROVIDER.token(code, grant(code));
        PROVIDER.accounts(accessToken(code), accountsAnswer(
                Map.of("accountNumber", tenth, "name", "Tenth"),
                Map.of("accountNumber", eleventh, "name", "Eleventh")));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, intent.state()), 403, "BANK_ACCOUNT_LIMIT_EXCEEDED");
        assertThat(footprint(account)).as("the tenth is not kept when the eleventh is refused").isEqualTo(before);
        assertThat(bankAccounts(account).size()).isEqualTo(9);
        assertThat(registeredHolders(tenth)).isZero();
        assertThat(statusOf(intent.id(), account)).isEqualTo("created");
    }

    @Test
    void theHolderLimitHoldsAndNothingIsHalfCreated() {
        String crowded = liveNumber();
        for (int i = 0; i < 2; i++) {
            TestAccount holder = newAccount(false);
            Response created = createBankAccount(holder, crowded);
            assertThat(created.status()).as(created.toString()).isEqualTo(200);
        }
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("holder-limit");
        String fresh = liveNumber();
        PROVIDER.token(code, grant(code));
        PROVIDER.accounts(accessToken(code), accountsAnswer(
                Map.of("accountNumber", fresh, "name", "Fresh"),
                Map.of("accountNumber", crowded, "name", "Crowded")));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, intent.state()), 403,
                "BANK_ACCOUNT_HOLDER_LIMIT_EXCEEDED");
        assertThat(footprint(account)).isEqualTo(before);
        assertThat(bankAccounts(account).size()).isZero();
        assertThat(registeredHolders(fresh)).isZero();
        assertThat(registeredHolders(crowded)).isEqualTo(2);
        assertThat(statusOf(intent.id(), account)).isEqualTo("created");
    }

    @Test
    void aCodeTheProviderRefusesFailsTheIntentForGood() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("refused");
        PROVIDER.token(code, json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"expired\"}"),
                grant(code));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, intent.state()), 403, "AUTHORIZATION_CODE_INVALID");
        assertThat(statusOf(intent.id(), account)).isEqualTo("failed");
        assertThat(footprint(account).bankAccountsAndApprovals()).isEqualTo(before.bankAccountsAndApprovals());
        assertThat(PROVIDER.tokenRequests(code)).hasSize(1);

        String another = newCode("after-failure");
        PROVIDER.token(another, grant(another));
        assertRefused(authorize(account, intent.id(), code, intent.state()), 403, "CONNECTION_INTENT_FAILED");
        assertRefused(authorize(account, intent.id(), another, intent.state()), 403, "CONNECTION_INTENT_FAILED");
        assertThat(PROVIDER.tokenRequests(code)).as("no further exchange").hasSize(1);
        assertThat(PROVIDER.tokenRequests(another)).isEmpty();
        assertThat(bankAccounts(account).size()).isZero();
    }

    @Test
    void aWrongStateIsRefusedBeforeTheProviderIsAsked() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("wrong-state");
        PROVIDER.token(code, grant(code));
        PROVIDER.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", liveNumber(),
                "name", "Everyday")));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, "not-" + intent.state()), 403, "STATE_MISMATCH");
        assertThat(PROVIDER.tokenRequests(code)).as("no token request").isEmpty();
        assertThat(footprint(account)).isEqualTo(before);
        assertThat(statusOf(intent.id(), account)).isEqualTo("created");

        Intent other = liveIntent(account);
        assertRefused(authorize(account, intent.id(), code, other.state()), 403, "STATE_MISMATCH");
        assertThat(PROVIDER.tokenRequests(code)).isEmpty();

        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));
        assertThat(statusOf(intent.id(), account)).isEqualTo("authorized");
    }

    @Test
    void anotherAccountsIntentIsNotFoundAndTheProviderIsNotAsked() {
        TestAccount owner = newAccount(false);
        TestAccount stranger = newAccount(false);
        Intent intent = liveIntent(owner);
        String code = newCode("stranger");
        PROVIDER.token(code, grant(code));

        assertRefused(authorize(stranger, intent.id(), code, intent.state()), 404, "CONNECTION_INTENT_NOT_FOUND");
        assertThat(PROVIDER.tokenRequests(code)).isEmpty();
        assertThat(statusOf(intent.id(), owner)).isEqualTo("created");
    }

    @Test
    void aLiveIntentForATestAccountIsALivenessMismatch() {
        TestAccount account = newAccount(true);
        long events = eventCount();
        Response refused = create(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent", "test", false));
        assertRefused(refused, 403, "LIVENESS_MISMATCH");
        Response omitted = create(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent"));
        assertRefused(omitted, 403, "LIVENESS_MISMATCH");
        assertThat(eventCount()).isEqualTo(events);

        Response sandboxed = create(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent", "test", true));
        assertThat(sandboxed.status()).as(sandboxed.toString()).isEqualTo(200);
        assertThat(sandboxed.text("authorizationUrl")).as("test intents go to the sandbox, not the live provider")
                .doesNotStartWith(PROVIDER.url("/"));
    }

    @Test
    void aTestIntentForALiveAccountIsALivenessMismatch() {
        TestAccount account = newAccount(false);
        Response bankAccount = createBankAccount(account, liveNumber());
        assertThat(bankAccount.status()).as(bankAccount.toString()).isEqualTo(200);
        long events = eventCount();

        assertRefused(create(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent", "test", true)), 403, "LIVENESS_MISMATCH");
        assertRefused(create(account, ApiClient.map("accountId", account.id(),
                "type", "enduring-payment-consent", "bankAccountId", bankAccount.text("id"), "test", true)),
                403, "LIVENESS_MISMATCH");
        assertThat(eventCount()).isEqualTo(events);
    }

    private long registeredHolders(String number) {
        return jdbc.sql("SELECT COUNT(*) FROM bank_account_registry WHERE bank_account_number = ?")
                .param(number).query(Long.class).single();
    }
}
