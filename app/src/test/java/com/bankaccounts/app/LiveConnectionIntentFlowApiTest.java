package com.bankaccounts.app;

import static com.bankaccounts.app.ScriptedOAuth2Server.accessToken;
import static com.bankaccounts.app.ScriptedOAuth2Server.accountsAnswer;
import static com.bankaccounts.app.ScriptedOAuth2Server.consentId;
import static com.bankaccounts.app.ScriptedOAuth2Server.grant;
import static com.bankaccounts.app.ScriptedOAuth2Server.json;
import static com.bankaccounts.app.ScriptedOAuth2Server.newCode;
import static com.bankaccounts.app.ScriptedOAuth2Server.query;
import static com.bankaccounts.app.ScriptedOAuth2Server.refreshToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import com.bankaccounts.app.ScriptedOAuth2Server.ScriptedProvider;
import tools.jackson.databind.JsonNode;

/**
 * The live connection-intent flow against a scripted OAuth 2.0 authorization server on a local port: what an
 * authorization creates, that the limits hold with nothing half-created, refused codes, states and callers, and
 * liveness. (How the provider is spoken to - PKCE, the token request, its failures - is in
 * {@link LiveConnectionIntentApiTest}.)
 * <p>
 * The provider answers per authorization code (token endpoint) and per access token (accounts endpoint), and
 * records what it was asked the same way, so no test sees another's requests or answers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DirtiesContext // its own context (its own provider): closed after it, so that its connections are given back
class LiveConnectionIntentFlowApiTest extends ApiTestSupport {

    private static final String CLIENT_ID = "live-client";
    private static final String CLIENT_SECRET = "live-secret";
    private static final String DEFAULT_REDIRECT_URI = "https://merchant.example/callback";
    private static final String INTENTS = "/api/bank-account-connection-intents";

    /** Bank 31, branch 2838: algorithm X, so every base is valid; only this class uses the branch. */
    private static final AtomicInteger LIVE_NUMBERS = new AtomicInteger((int) (System.nanoTime() % 5_000_000));

    private static final ScriptedProvider PROVIDER_SCRIPT = new ScriptedProvider();
    private static final MockWebServer PROVIDER = new MockWebServer();

    static {
        PROVIDER.setDispatcher(PROVIDER_SCRIPT);
        try {
            PROVIDER.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void liveProvider(DynamicPropertyRegistry registry) {
        registry.add("app.open-banking.authorize-url", () -> PROVIDER.url("/authorize").toString());
        registry.add("app.open-banking.token-url", () -> PROVIDER.url("/token").toString());
        registry.add("app.open-banking.accounts-url", () -> PROVIDER.url("/accounts").toString());
        registry.add("app.open-banking.client-id", () -> CLIENT_ID);
        registry.add("app.open-banking.client-secret", () -> CLIENT_SECRET);
        registry.add("app.open-banking.redirect-uri", () -> DEFAULT_REDIRECT_URI);
        registry.add("app.open-banking.read-timeout", () -> "1s");
    }

    @AfterAll
    static void stopProvider() throws IOException {
        PROVIDER.shutdown();
    }

    @Test
    void anEnduringPaymentConsentBecomesAnApprovedPaymentConsentWithItsTerms() {
        TestAccount account = newAccount(false);
        Response bankAccount = createBankAccount(account, liveNumber());
        assertThat(bankAccount.status()).as(bankAccount.toString()).isEqualTo(200);
        String bankAccountId = bankAccount.text("id");

        Response intent = createIntent(account, ApiClient.map("accountId", account.id(),
                "type", "enduring-payment-consent", "bankAccountId", bankAccountId,
                "name", "Groceries", "period", "weekly", "totalAmount", "50000"));
        assertThat(intent.status()).as(intent.toString()).isEqualTo(200);
        assertThat(intent.text("name")).isEqualTo("Groceries");
        assertThat(intent.text("bankAccountId")).isEqualTo(bankAccountId);
        Map<String, String> query = query(intent.text("authorizationUrl"));
        assertThat(query).containsEntry("redirect_uri", DEFAULT_REDIRECT_URI).containsKey("scope");

        String code = newCode("payment");
        PROVIDER_SCRIPT.token(code, grant(code));

        assertEmptyObject(authorize(account, intent.text("id"), code, query.get("state")));

        assertThat(PROVIDER_SCRIPT.tokenRequests(code)).hasSize(1);
        assertThat(PROVIDER_SCRIPT.accountsRequests(accessToken(code)))
                .as("a payment consent does not read the accounts").isEmpty();
        assertThat(intentStatus(account, intent.text("id"))).isEqualTo("authorized");

        JsonNode approvals = approvals(account, bankAccountId);
        assertThat(approvals.size()).as(approvals.toString()).isEqualTo(1);
        JsonNode approval = approvals.get(0);
        assertThat(approval.get("type").asString()).isEqualTo("payment-consent");
        assertThat(approval.get("status").asString()).isEqualTo("approved");
        assertThat(approval.get("bankAccountId").asString()).isEqualTo(bankAccountId);
        assertThat(approval.get("name").asString()).isEqualTo("Groceries");
        assertThat(approval.get("period").asString()).isEqualTo("weekly");
        assertThat(approval.get("totalAmount").asString()).isEqualTo("50000");
        assertThat(approval.get("refreshToken").asString()).isEqualTo(refreshToken(code));
        assertThat(approval.get("consentId").asString()).isEqualTo(consentId(code));
        assertThat(bankAccounts(account).size()).as("no bank account is created").isEqualTo(1);
    }

    @Test
    void twoSimultaneousAuthorizationsExchangeTheCodeOnce() throws Exception {
        TestAccount account = newAccount(false);
        Intent intent = accountInformationIntent(account);
        String code = newCode("race");
        PROVIDER_SCRIPT.token(code, grant(code));
        PROVIDER_SCRIPT.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", liveNumber(),
                "name", "Everyday")));

        List<Response> answers = inParallel(List.of(
                () -> authorize(account, intent.id(), code, intent.state()),
                () -> authorize(account, intent.id(), code, intent.state())));

        // The loser came either while the code was being exchanged (409) or after the intent was authorized (403).
        assertThat(answers).filteredOn(answer -> answer.status() == 200).as(answers.toString()).hasSize(1);
        assertThat(answers).filteredOn(answer -> answer.status() != 200).extracting(Response::message)
                .as(answers.toString()).containsAnyOf("AUTHORIZATION_IN_PROGRESS", "CONNECTION_INTENT_ALREADY_AUTHORIZED")
                .hasSize(1);
        assertThat(PROVIDER_SCRIPT.tokenRequests(code)).hasSize(1);
        assertThat(bankAccounts(account).size()).isEqualTo(1);
    }

    @Test
    void theBankAccountLimitHoldsAndNothingIsHalfCreated() {
        TestAccount account = newAccount(false);
        for (int i = 0; i < 9; i++) {
            Response created = createBankAccount(account, liveNumber());
            assertThat(created.status()).as(created.toString()).isEqualTo(200);
        }
        Intent intent = accountInformationIntent(account);
        String code = newCode("account-limit");
        String tenth = liveNumber();
        String eleventh = liveNumber();
        PROVIDER_SCRIPT.token(code, grant(code));
        PROVIDER_SCRIPT.accounts(accessToken(code), accountsAnswer(
                Map.of("accountNumber", tenth, "name", "Tenth"),
                Map.of("accountNumber", eleventh, "name", "Eleventh")));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, intent.state()), 403, "BANK_ACCOUNT_LIMIT_EXCEEDED");
        assertThat(footprint(account)).as("the tenth is not kept when the eleventh is refused").isEqualTo(before);
        assertThat(bankAccounts(account).size()).isEqualTo(9);
        assertThat(registeredHolders(tenth)).isZero();
        assertThat(intentStatus(account, intent.id())).isEqualTo("created");
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
        Intent intent = accountInformationIntent(account);
        String code = newCode("holder-limit");
        String fresh = liveNumber();
        PROVIDER_SCRIPT.token(code, grant(code));
        PROVIDER_SCRIPT.accounts(accessToken(code), accountsAnswer(
                Map.of("accountNumber", fresh, "name", "Fresh"),
                Map.of("accountNumber", crowded, "name", "Crowded")));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, intent.state()), 403,
                "BANK_ACCOUNT_HOLDER_LIMIT_EXCEEDED");
        assertThat(footprint(account)).isEqualTo(before);
        assertThat(bankAccounts(account).size()).isZero();
        assertThat(registeredHolders(fresh)).isZero();
        assertThat(registeredHolders(crowded)).isEqualTo(2);
        assertThat(intentStatus(account, intent.id())).isEqualTo("created");
    }

    @Test
    void aCodeTheProviderRefusesFailsTheIntentForGood() {
        TestAccount account = newAccount(false);
        Intent intent = accountInformationIntent(account);
        String code = newCode("refused");
        PROVIDER_SCRIPT.token(code, json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"expired\"}"),
                grant(code));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, intent.state()), 403, "AUTHORIZATION_CODE_INVALID");
        assertThat(intentStatus(account, intent.id())).isEqualTo("failed");
        assertThat(footprint(account).bankAccountsAndApprovals()).isEqualTo(before.bankAccountsAndApprovals());
        assertThat(PROVIDER_SCRIPT.tokenRequests(code)).hasSize(1);

        String another = newCode("after-failure");
        PROVIDER_SCRIPT.token(another, grant(another));
        assertRefused(authorize(account, intent.id(), code, intent.state()), 403, "CONNECTION_INTENT_FAILED");
        assertRefused(authorize(account, intent.id(), another, intent.state()), 403, "CONNECTION_INTENT_FAILED");
        assertThat(PROVIDER_SCRIPT.tokenRequests(code)).as("no further exchange").hasSize(1);
        assertThat(PROVIDER_SCRIPT.tokenRequests(another)).isEmpty();
        assertThat(bankAccounts(account).size()).isZero();
    }

    @Test
    void aWrongStateIsRefusedBeforeTheProviderIsAsked() {
        TestAccount account = newAccount(false);
        Intent intent = accountInformationIntent(account);
        String code = newCode("wrong-state");
        PROVIDER_SCRIPT.token(code, grant(code));
        PROVIDER_SCRIPT.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", liveNumber(),
                "name", "Everyday")));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, "not-" + intent.state()), 403, "STATE_MISMATCH");
        assertThat(PROVIDER_SCRIPT.tokenRequests(code)).as("no token request").isEmpty();
        assertThat(footprint(account)).isEqualTo(before);
        assertThat(intentStatus(account, intent.id())).isEqualTo("created");

        Intent other = accountInformationIntent(account);
        assertRefused(authorize(account, intent.id(), code, other.state()), 403, "STATE_MISMATCH");
        assertThat(PROVIDER_SCRIPT.tokenRequests(code)).isEmpty();

        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));
        assertThat(intentStatus(account, intent.id())).isEqualTo("authorized");
    }

    @Test
    void anotherAccountsIntentIsNotFoundAndTheProviderIsNotAsked() {
        TestAccount owner = newAccount(false);
        TestAccount stranger = newAccount(false);
        Intent intent = accountInformationIntent(owner);
        String code = newCode("stranger");
        PROVIDER_SCRIPT.token(code, grant(code));

        assertRefused(authorize(stranger, intent.id(), code, intent.state()), 404, "CONNECTION_INTENT_NOT_FOUND");
        assertThat(PROVIDER_SCRIPT.tokenRequests(code)).isEmpty();
        assertThat(intentStatus(owner, intent.id())).isEqualTo("created");
    }

    @Test
    void aLiveIntentForATestAccountIsALivenessMismatch() {
        TestAccount account = newAccount(true);
        long events = eventCount();
        Response refused = createIntent(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent", "test", false));
        assertRefused(refused, 403, "LIVENESS_MISMATCH");
        Response omitted = createIntent(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent"));
        assertRefused(omitted, 403, "LIVENESS_MISMATCH");
        assertThat(eventCount()).isEqualTo(events);

        Response sandboxed = createIntent(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent", "test", true));
        assertThat(sandboxed.status()).as(sandboxed.toString()).isEqualTo(200);
        assertThat(sandboxed.text("authorizationUrl")).as("test intents go to the sandbox, not the live provider")
                .doesNotStartWith(PROVIDER.url("/").toString());
    }

    @Test
    void aTestIntentForALiveAccountIsALivenessMismatch() {
        TestAccount account = newAccount(false);
        Response bankAccount = createBankAccount(account, liveNumber());
        assertThat(bankAccount.status()).as(bankAccount.toString()).isEqualTo(200);
        long events = eventCount();

        assertRefused(createIntent(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent", "test", true)), 403, "LIVENESS_MISMATCH");
        assertRefused(createIntent(account, ApiClient.map("accountId", account.id(),
                "type", "enduring-payment-consent", "bankAccountId", bankAccount.text("id"), "test", true)),
                403, "LIVENESS_MISMATCH");
        assertThat(eventCount()).isEqualTo(events);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    private record Intent(String id, String state, String codeChallenge) {
    }

    /** What an account holds, and the whole event store's size: a failed call must change none of it. */
    private record Footprint(long events, long registeredBankAccounts, long viewedBankAccounts,
                             long registeredApprovals, long viewedApprovals) {

        long bankAccountsAndApprovals() {
            return registeredBankAccounts + viewedBankAccounts + registeredApprovals + viewedApprovals;
        }
    }

    private Footprint footprint(TestAccount account) {
        return new Footprint(eventCount(),
                countFor("bank_account_registry", account),
                countFor("bank_account_view", account),
                countFor("approval_registry", account),
                countFor("approval_view", account));
    }

    private long countFor(String table, TestAccount account) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE account_id = ?")
                .param(account.id()).query(Long.class).single();
    }

    private long registeredHolders(String number) {
        return jdbc.sql("SELECT COUNT(*) FROM bank_account_registry WHERE bank_account_number = ?")
                .param(number).query(Long.class).single();
    }

    private long eventsContaining(String text) {
        return jdbc.sql("SELECT COUNT(*) FROM domain_event_entry WHERE position(? in convert_from(payload, 'UTF8')) > 0")
                .param(text).query(Long.class).single();
    }

    private static String liveNumber() {
        return String.format("31-2838-%07d-000", LIVE_NUMBERS.incrementAndGet() % 10_000_000);
    }

    private Response createIntent(TestAccount account, Map<String, Object> body) {
        return api.post(INTENTS, account.key(), body);
    }

    private Intent accountInformationIntent(TestAccount account) {
        Response created = createIntent(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent"));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        Map<String, String> query = query(created.text("authorizationUrl"));
        return new Intent(created.text("id"), query.get("state"), query.get("code_challenge"));
    }

    private Response authorize(TestAccount account, String intentId, String code, String state) {
        return api.post(INTENTS + "/" + intentId + "/authorize", account.key(),
                ApiClient.map("code", code, "state", state));
    }

    private String intentStatus(TestAccount account, String intentId) {
        Response read = api.get(INTENTS + "/" + intentId, account.key());
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        return read.text("status");
    }

    private JsonNode approvals(TestAccount account, String bankAccountId) {
        Response listed = api.get("/api/bank-accounts/" + bankAccountId + "/approvals", account.key());
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        return listed.json().get("items");
    }

    private static JsonNode byNumber(JsonNode bankAccounts, String number) {
        for (JsonNode bankAccount : bankAccounts) {
            if (number.equals(bankAccount.get("bankAccountNumber").asString())) {
                return bankAccount;
            }
        }
        throw new AssertionError("no bank account " + number + " in " + bankAccounts);
    }
}
