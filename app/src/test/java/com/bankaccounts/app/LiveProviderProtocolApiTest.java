package com.bankaccounts.app;

import static com.bankaccounts.app.LiveProvider.CLIENT_ID;
import static com.bankaccounts.app.LiveProvider.DEFAULT_REDIRECT_URI;
import static com.bankaccounts.app.LiveProvider.accessToken;
import static com.bankaccounts.app.LiveProvider.accountsAnswer;
import static com.bankaccounts.app.LiveProvider.grant;
import static com.bankaccounts.app.LiveProvider.json;
import static com.bankaccounts.app.LiveProvider.newCode;
import static com.bankaccounts.app.LiveProvider.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.app.LiveProvider.TokenRequest;
import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The live provider's protocol as a client sees it over HTTP: the authorization URL (PKCE S256, state, redirect
 * URI), the provider's failures, after which nothing has changed and the same code may be tried again (502 for an
 * error or a malformed answer, 503 when too slow), and a code the provider refuses, which fails the intent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveProviderProtocolApiTest extends ApiTestSupport {

    private static final String INTENTS = "/api/bank-account-connection-intents";

    /** Bank 31, branch 2838: algorithm X, so every base is valid; only this class uses the branch. */
    private static final AtomicInteger LIVE_NUMBERS = new AtomicInteger((int) (System.nanoTime() % 5_000_000));

    private static final LiveProvider PROVIDER = new LiveProvider();

    @DynamicPropertySource
    static void liveProvider(DynamicPropertyRegistry registry) {
        PROVIDER.configure(registry);
    }

    @AfterAll
    static void stopProvider() throws IOException {
        PROVIDER.shutdown();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The authorization URL

    @Test
    void aLiveAccountInformationConsentPointsAtTheProviderWithPkceAndState() {
        TestAccount account = newAccount(false);

        Response first = createIntent(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent"));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.text("status")).isEqualTo("created");
        assertThat(first.json().has("test")).as(first.toString()).isFalse();
        String url = first.text("authorizationUrl");
        assertThat(url).startsWith(PROVIDER.url("/authorize") + "?");
        Map<String, String> query = query(url);
        assertThat(query).containsEntry("response_type", "code")
                .containsEntry("client_id", CLIENT_ID)
                .containsEntry("redirect_uri", DEFAULT_REDIRECT_URI)
                .containsEntry("code_challenge_method", "S256")
                .containsKeys("scope", "state", "code_challenge");
        assertThat(query.get("scope")).isNotBlank();
        assertThat(query.get("state")).matches("[A-Za-z0-9_~.-]{16,}");
        // base64url of a SHA-256 digest, without padding
        assertThat(query.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");

        Response read = api.get(INTENTS + "/" + first.text("id"), account.key());
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.text("authorizationUrl")).isEqualTo(url);

        String ownRedirect = "https://merchant.example/return?shop=42";
        Response second = createIntent(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent", "redirectUri", ownRedirect));
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        Map<String, String> secondQuery = query(second.text("authorizationUrl"));
        assertThat(secondQuery).containsEntry("redirect_uri", ownRedirect);
        assertThat(secondQuery.get("state")).isNotEqualTo(query.get("state"));
        assertThat(secondQuery.get("code_challenge")).isNotEqualTo(query.get("code_challenge"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Provider failures: nothing changes, the same code may be tried again

    static Stream<Arguments> failingTokenAnswers() {
        return Stream.of(
                Arguments.of("500", new MockResponse().setResponseCode(500).setBody("oops")),
                Arguments.of("503 with JSON", json(503, "{\"error\":\"temporarily_unavailable\"}")),
                Arguments.of("malformed JSON", json(200, "{\"access_token\": \"abc\", ")),
                Arguments.of("HTML", new MockResponse().setResponseCode(200)
                        .setHeader("Content-Type", "text/html").setBody("<html>maintenance</html>")),
                Arguments.of("a JSON array", json(200, "[]")),
                Arguments.of("no access_token", json(200,
                        "{\"refresh_token\":\"rt-x\",\"token_type\":\"Bearer\",\"consent_id\":\"c-x\"}")),
                Arguments.of("400 other than invalid_grant", json(400, "{\"error\":\"invalid_client\"}")),
                Arguments.of("400 without a body", new MockResponse().setResponseCode(400)));
    }

    @ParameterizedTest(name = "token endpoint answers {0}")
    @MethodSource("failingTokenAnswers")
    void aBadTokenAnswerIsA502AndTheSameCodeWorksOnRetry(String label, MockResponse failure) {
        TestAccount account = newAccount(false);
        Intent intent = accountInformationIntent(account);
        String code = newCode("token-failure");
        String number = liveNumber();
        PROVIDER.script().token(code, failure, grant(code));
        PROVIDER.script().accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", number,
                "name", "Everyday")));

        Footprint before = footprint(account);
        Response failed = authorize(account, intent.id(), code, intent.state());
        assertRefused(failed, 502, "PROVIDER_ERROR");
        assertThat(failed.body()).doesNotContain("at-x", "rt-x", "Exception");
        assertThat(footprint(account)).as("nothing is created").isEqualTo(before);
        assertThat(intentStatus(account, intent.id())).isEqualTo("created");
        assertThat(PROVIDER.script().accountsRequests(accessToken(code))).isEmpty();

        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));
        assertThat(intentStatus(account, intent.id())).isEqualTo("authorized");
        List<TokenRequest> exchanges = PROVIDER.script().tokenRequests(code);
        assertThat(exchanges).hasSize(2);
        assertThat(exchanges.get(1).form().get("code_verifier"))
                .as("the retry presents the same verifier").isEqualTo(exchanges.get(0).form().get("code_verifier"));
        JsonNode bankAccounts = bankAccounts(account);
        assertThat(bankAccounts.size()).isEqualTo(1);
        assertThat(bankAccounts.get(0).get("bankAccountNumber").asString()).isEqualTo(number);
    }

    @Test
    void aTokenEndpointSlowerThanTheReadTimeoutIsA503AndTheSameCodeWorksOnRetry() {
        TestAccount account = newAccount(false);
        Intent intent = accountInformationIntent(account);
        String code = newCode("slow-token");
        PROVIDER.script().token(code, grant(code).setHeadersDelay(6, TimeUnit.SECONDS), grant(code));
        PROVIDER.script().accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", liveNumber(),
                "name", "Everyday")));

        Footprint before = footprint(account);
        long start = System.nanoTime();
        Response slow = authorize(account, intent.id(), code, intent.state());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertRefused(slow, 503, "PROVIDER_UNAVAILABLE");
        assertThat(millis).as("the 1s read timeout bounds the wait").isLessThan(5_000);
        assertThat(footprint(account)).isEqualTo(before);
        assertThat(intentStatus(account, intent.id())).isEqualTo("created");

        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));
        assertThat(intentStatus(account, intent.id())).isEqualTo("authorized");
        assertThat(PROVIDER.script().tokenRequests(code)).hasSize(2);
        assertThat(bankAccounts(account).size()).isEqualTo(1);
    }

    @Test
    void aTokenAnswerWhoseBodyTrailsPastTheReadTimeoutIsA503() {
        TestAccount account = newAccount(false);
        Intent intent = accountInformationIntent(account);
        String code = newCode("slow-token-body");
        // The headers come at once; the body only after the read timeout.
        PROVIDER.script().token(code, grant(code).setBodyDelay(6, TimeUnit.SECONDS), grant(code));
        PROVIDER.script().accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", liveNumber(),
                "name", "Everyday")));

        Footprint before = footprint(account);
        long start = System.nanoTime();
        Response slow = authorize(account, intent.id(), code, intent.state());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertRefused(slow, 503, "PROVIDER_UNAVAILABLE");
        assertThat(millis).as("the 1s read timeout bounds the body too").isLessThan(5_000);
        assertThat(footprint(account)).isEqualTo(before);
        assertThat(intentStatus(account, intent.id())).isEqualTo("created");

        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));
        assertThat(intentStatus(account, intent.id())).isEqualTo("authorized");
    }

    static Stream<Arguments> failingAccountsAnswers() {
        return Stream.of(
                Arguments.of("500", new MockResponse().setResponseCode(500).setBody("oops")),
                Arguments.of("401", json(401, "{\"error\":\"invalid_token\"}")),
                Arguments.of("malformed JSON", json(200, "{\"accounts\": [")),
                Arguments.of("no accounts field", json(200, "{\"items\":[]}")),
                Arguments.of("accounts not a list", json(200, "{\"accounts\":\"01-0902-0068389-000\"}")),
                Arguments.of("an account without a name", json(200,
                        "{\"accounts\":[{\"accountNumber\":\"01-0902-0068389-000\"}]}")));
    }

    @ParameterizedTest(name = "accounts endpoint answers {0}")
    @MethodSource("failingAccountsAnswers")
    void aBadAccountsAnswerIsA502AndCreatesNothing(String label, MockResponse failure) {
        TestAccount account = newAccount(false);
        Intent intent = accountInformationIntent(account);
        String code = newCode("accounts-failure");
        PROVIDER.script().token(code, grant(code), grant(code));
        PROVIDER.script().accounts(accessToken(code), failure, accountsAnswer(Map.of("accountNumber", liveNumber(),
                "name", "Everyday")));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, intent.state()), 502, "PROVIDER_ERROR");
        assertThat(footprint(account)).as("nothing is created").isEqualTo(before);
        assertThat(bankAccounts(account).size()).isZero();
        assertThat(intentStatus(account, intent.id())).isEqualTo("created");
        assertThat(PROVIDER.script().accountsRequests(accessToken(code))).hasSize(1);

        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));
        assertThat(intentStatus(account, intent.id())).isEqualTo("authorized");
        assertThat(bankAccounts(account).size()).isEqualTo(1);
        assertThat(PROVIDER.script().tokenRequests(code))
                .as("the retry uses the kept grant: the spent code is not sent again").hasSize(1);
        String kept = jdbc.sql("SELECT kept_grant FROM connection_intent_registry WHERE connection_intent_id = ?")
                .param(intent.id()).query(String.class).optional().orElse(null);
        assertThat(kept).as("the applied grant is forgotten").isNull();
    }

    @Test
    void anAccountsEndpointSlowerThanTheReadTimeoutIsA503() {
        TestAccount account = newAccount(false);
        Intent intent = accountInformationIntent(account);
        String code = newCode("slow-accounts");
        PROVIDER.script().token(code, grant(code));
        PROVIDER.script().accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", liveNumber(),
                "name", "Everyday")).setHeadersDelay(6, TimeUnit.SECONDS));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, intent.state()), 503, "PROVIDER_UNAVAILABLE");
        assertThat(footprint(account)).isEqualTo(before);
        assertThat(intentStatus(account, intent.id())).isEqualTo("created");
    }

    @Test
    void aProviderAccountWhoseNumberIsNotAValidNzNumberIsA502AndCreatesNothing() {
        TestAccount account = newAccount(false);
        Intent intent = accountInformationIntent(account);
        String code = newCode("bad-number");
        PROVIDER.script().token(code, grant(code));
        // The first is valid; the second fails the check digits (branch 2850 is outside bank 31's range).
        PROVIDER.script().accounts(accessToken(code), accountsAnswer(
                Map.of("accountNumber", liveNumber(), "name", "Everyday"),
                Map.of("accountNumber", "31-2850-1234567-000", "name", "Savings")));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, intent.state()), 502, "PROVIDER_ERROR");
        assertThat(footprint(account)).isEqualTo(before);
        assertThat(bankAccounts(account).size()).isZero();
        assertThat(intentStatus(account, intent.id())).isEqualTo("created");
    }

    @Test
    void aProviderAccountThatIsNotAnNzNumberAtAllIsA502() {
        TestAccount account = newAccount(false);
        Intent intent = accountInformationIntent(account);
        String code = newCode("not-a-number");
        PROVIDER.script().token(code, grant(code));
        PROVIDER.script().accounts(accessToken(code), accountsAnswer(
                Map.of("accountNumber", "GB29NWBK60161331926819", "name", "Abroad")));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, intent.state()), 502, "PROVIDER_ERROR");
        assertThat(footprint(account)).isEqualTo(before);
    }

    // ---------------------------------------------------------------------------------------------------------
    // A code the provider refuses

    @Test
    void aCodeTheProviderRefusesFailsTheIntentForGood() {
        TestAccount account = newAccount(false);
        Intent intent = accountInformationIntent(account);
        String code = newCode("refused");
        PROVIDER.script().token(code, json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"expired\"}"),
                grant(code));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, intent.state()), 403, "AUTHORIZATION_CODE_INVALID");
        assertThat(intentStatus(account, intent.id())).isEqualTo("failed");
        assertThat(footprint(account).bankAccountsAndApprovals()).isEqualTo(before.bankAccountsAndApprovals());
        assertThat(PROVIDER.script().tokenRequests(code)).hasSize(1);

        String another = newCode("after-failure");
        PROVIDER.script().token(another, grant(another));
        assertRefused(authorize(account, intent.id(), code, intent.state()), 403, "CONNECTION_INTENT_FAILED");
        assertRefused(authorize(account, intent.id(), another, intent.state()), 403, "CONNECTION_INTENT_FAILED");
        assertThat(PROVIDER.script().tokenRequests(code)).as("no further exchange").hasSize(1);
        assertThat(PROVIDER.script().tokenRequests(another)).isEmpty();
        assertThat(bankAccounts(account).size()).isZero();
    }

    @Test
    void anInvalidGrantAnsweredWith401AlsoFailsTheIntent() {
        TestAccount account = newAccount(false);
        Intent intent = accountInformationIntent(account);
        String code = newCode("refused-401");
        PROVIDER.script().token(code, json(401, "{\"error\":\"invalid_grant\"}"));

        assertRefused(authorize(account, intent.id(), code, intent.state()), 403, "AUTHORIZATION_CODE_INVALID");
        assertThat(intentStatus(account, intent.id())).isEqualTo("failed");
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
}
