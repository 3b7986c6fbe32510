package com.bankaccounts.app;

import static com.bankaccounts.app.LiveProvider.CLIENT_ID;
import static com.bankaccounts.app.LiveProvider.CLIENT_SECRET;
import static com.bankaccounts.app.LiveProvider.DEFAULT_REDIRECT_URI;
import static com.bankaccounts.app.LiveProvider.accessToken;
import static com.bankaccounts.app.LiveProvider.accountsAnswer;
import static com.bankaccounts.app.LiveProvider.consentId;
import static com.bankaccounts.app.LiveProvider.grant;
import static com.bankaccounts.app.LiveProvider.json;
import static com.bankaccounts.app.LiveProvider.newCode;
import static com.bankaccounts.app.LiveProvider.query;
import static com.bankaccounts.app.LiveProvider.refreshToken;
import static com.bankaccounts.app.LiveProvider.s256;
import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.app.LiveProvider.TokenRequest;
import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The live provider's protocol as a client sees it over HTTP: the authorization URL (PKCE S256, state, redirect
 * URI), the one code exchange (form POST, Basic client authentication, the verifier) and the accounts read with the
 * access token, the provider's failures, after which nothing has changed and the same code may be tried again (502
 * for an error or a malformed answer, 503 when too slow), and a code the provider refuses, which fails the intent.
 */
class LiveProviderProtocolApiTest extends LiveProviderApiTestSupport {

    // ---------------------------------------------------------------------------------------------------------
    // The authorization URL

    @Test
    void aLiveAccountInformationConsentPointsAtTheProviderWithPkceAndState() {
        TestAccount account = newAccount(false);

        Response first = create(account, ApiClient.map("accountId", account.id(),
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
        // The client gave none; the provider was sent the configured default, which is kept with the intent, so that
        // the code's exchange sends that very one even if the configuration changes meanwhile (RFC 6749 4.1.3).
        assertThat(read.json().has("redirectUri")).as(read.toString()).isFalse();
        assertThat(jdbc.sql("SELECT redirect_uri FROM connection_intent_registry WHERE connection_intent_id = ?")
                .param(first.text("id")).query(String.class).single()).isEqualTo(DEFAULT_REDIRECT_URI);

        String ownRedirect = "https://merchant.example/return?shop=42";
        Response second = create(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent", "redirectUri", ownRedirect));
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        Map<String, String> secondQuery = query(second.text("authorizationUrl"));
        assertThat(secondQuery).containsEntry("redirect_uri", ownRedirect);
        assertThat(secondQuery.get("state")).isNotEqualTo(query.get("state"));
        assertThat(secondQuery.get("code_challenge")).isNotEqualTo(query.get("code_challenge"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // A successful authorization: the code exchanged once, the accounts read with the access token

    @Test
    void authorizingExchangesTheCodeOnceAndConnectsTheProvidersAccounts() {
        TestAccount account = newAccount(false);
        String held = liveNumber();
        String fresh = liveNumber();
        Response existing = createBankAccount(account, held);
        assertThat(existing.status()).as(existing.toString()).isEqualTo(200);
        String existingId = existing.text("id");

        String redirectUri = "https://merchant.example/accounts/callback";
        Response intent = create(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent", "redirectUri", redirectUri));
        assertThat(intent.status()).as(intent.toString()).isEqualTo(200);
        Map<String, String> query = query(intent.text("authorizationUrl"));

        String code = "good-code";
        PROVIDER.forget(code);
        PROVIDER.token(code, grant(code));
        PROVIDER.accounts(accessToken(code),
                accountsAnswer(Map.of("accountNumber", held, "name", "Everyday"),
                        Map.of("accountNumber", fresh, "name", "Bills account")));

        Response authorized = authorize(account, intent.text("id"), code, query.get("state"));
        assertEmptyObject(authorized);

        List<TokenRequest> tokenRequests = PROVIDER.tokenRequests(code);
        assertThat(tokenRequests).hasSize(1);
        TokenRequest token = tokenRequests.get(0);
        assertThat(token.request().getMethod()).isEqualTo("POST");
        assertThat(token.request().getRequestUrl().encodedPath()).isEqualTo("/token");
        assertThat(token.request().getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(token.form()).containsEntry("grant_type", "authorization_code")
                .containsEntry("code", code)
                .containsEntry("redirect_uri", redirectUri)
                .containsEntry("client_id", CLIENT_ID)
                .containsKey("code_verifier");
        String verifier = token.form().get("code_verifier");
        // RFC 7636: 43 to 128 unreserved characters
        assertThat(verifier).matches("[A-Za-z0-9._~-]{43,128}");
        assertThat(s256(verifier)).as("S256 of the verifier must be the URL's code_challenge")
                .isEqualTo(query.get("code_challenge"));
        assertThat(token.request().getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));

        List<RecordedRequest> accountsRequests = PROVIDER.accountsRequests(accessToken(code));
        assertThat(accountsRequests).hasSize(1);
        assertThat(accountsRequests.get(0).getMethod()).isEqualTo("GET");
        assertThat(accountsRequests.get(0).getHeader("Authorization")).isEqualTo("Bearer " + accessToken(code));

        assertThat(statusOf(intent.text("id"), account)).isEqualTo("authorized");

        JsonNode bankAccounts = bankAccounts(account);
        assertThat(bankAccounts.size()).as(bankAccounts.toString()).isEqualTo(2);
        JsonNode reused = byNumber(bankAccounts, held);
        JsonNode created = byNumber(bankAccounts, fresh);
        assertThat(reused.get("id").asString()).isEqualTo(existingId);
        assertThat(reused.get("bankAccountName").asString()).isEqualTo("John Doe");
        assertThat(created.get("id").asString()).isNotEqualTo(existingId).hasSize(22);
        assertThat(created.get("bankAccountName").asString()).isEqualTo("Bills account");
        assertThat(created.get("accountId").asString()).isEqualTo(account.id());
        assertThat(created.has("test")).as(created.toString()).isFalse();

        for (JsonNode bankAccount : List.of(reused, created)) {
            JsonNode approvals = approvalsOf(bankAccount.get("id").asString(), account);
            assertThat(approvals.size()).as(approvals.toString()).isEqualTo(1);
            JsonNode approval = approvals.get(0);
            assertThat(approval.get("type").asString()).isEqualTo("account-consent");
            assertThat(approval.get("status").asString()).isEqualTo("approved");
            assertThat(approval.get("bankAccountId").asString()).isEqualTo(bankAccount.get("id").asString());
            assertThat(approval.get("accountId").asString()).isEqualTo(account.id());
            assertThat(approval.get("refreshToken").asString()).isEqualTo(refreshToken(code));
            assertThat(approval.get("consentId").asString()).isEqualTo(consentId(code));
        }

        // Secrets never reach the event store in the clear: the access token not at all, the others encrypted.
        assertThat(eventsContaining(accessToken(code))).isZero();
        assertThat(eventsContaining(refreshToken(code))).isZero();
        assertThat(eventsContaining(verifier)).isZero();

        Response again = authorize(account, intent.text("id"), code, query.get("state"));
        assertRefused(again, 403, "CONNECTION_INTENT_ALREADY_AUTHORIZED");
        assertThat(PROVIDER.tokenRequests(code)).as("the code is exchanged only once").hasSize(1);
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
                Arguments.of("400 without a body", new MockResponse().setResponseCode(400)),
                // Tokens go into a header and the kept grant's lines: RFC 6749's characters only.
                Arguments.of("a line break in the access token", json(200,
                        "{\"access_token\":\"at-x\\nv2\",\"refresh_token\":\"rt-x\"}")),
                Arguments.of("a control character in the access token", json(200,
                        "{\"access_token\":\"at-x\\u0007\",\"refresh_token\":\"rt-x\"}")),
                Arguments.of("a line break in the refresh token", json(200,
                        "{\"access_token\":\"at-x\",\"refresh_token\":\"rt-x\\r\\nX\"}")),
                Arguments.of("a line break in the consent id", json(200,
                        "{\"access_token\":\"at-x\",\"refresh_token\":\"rt-x\",\"consent_id\":\"c\\nd\"}")),
                Arguments.of("over 1 MB", json(200, "{\"access_token\":\"at-x\",\"padding\":\""
                        + "x".repeat(1 << 20) + "\"}")));
    }

    /** A name within 200 characters though longer in UTF-16 units (emoji are two) is kept whole, never cut in half. */
    @Test
    void aProviderAccountNameOf200CharactersOutsideTheBasicPlaneIsKeptWhole() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("emoji-name");
        String number = liveNumber();
        String name = "a" + "\uD83D\uDCB0".repeat(199);
        PROVIDER.token(code, grant(code));
        PROVIDER.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", number, "name", name)));

        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));

        JsonNode bankAccounts = bankAccounts(account);
        assertThat(bankAccounts.size()).isEqualTo(1);
        assertThat(bankAccounts.get(0).get("bankAccountName").asString()).isEqualTo(name);
    }

    @ParameterizedTest(name = "token endpoint answers {0}")
    @MethodSource("failingTokenAnswers")
    void aBadTokenAnswerIsA502AndTheSameCodeWorksOnRetry(String label, MockResponse failure) {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("token-failure");
        String number = liveNumber();
        PROVIDER.token(code, failure, grant(code));
        PROVIDER.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", number,
                "name", "Everyday")));

        Footprint before = footprint(account);
        Response failed = authorize(account, intent.id(), code, intent.state());
        assertRefused(failed, 502, "PROVIDER_ERROR");
        assertThat(failed.body()).doesNotContain("at-x", "rt-x", "Exception");
        assertThat(footprint(account)).as("nothing is created").isEqualTo(before);
        assertThat(statusOf(intent.id(), account)).isEqualTo("created");
        assertThat(PROVIDER.accountsRequests(accessToken(code))).isEmpty();

        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));
        assertThat(statusOf(intent.id(), account)).isEqualTo("authorized");
        List<TokenRequest> exchanges = PROVIDER.tokenRequests(code);
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
        Intent intent = liveIntent(account);
        String code = newCode("slow-token");
        PROVIDER.token(code, grant(code).setHeadersDelay(6, TimeUnit.SECONDS), grant(code));
        PROVIDER.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", liveNumber(),
                "name", "Everyday")));

        Footprint before = footprint(account);
        long start = System.nanoTime();
        Response slow = authorize(account, intent.id(), code, intent.state());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertRefused(slow, 503, "PROVIDER_UNAVAILABLE");
        assertThat(millis).as("the 1s read timeout bounds the wait").isLessThan(5_000);
        assertThat(footprint(account)).isEqualTo(before);
        assertThat(statusOf(intent.id(), account)).isEqualTo("created");

        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));
        assertThat(statusOf(intent.id(), account)).isEqualTo("authorized");
        assertThat(PROVIDER.tokenRequests(code)).hasSize(2);
        assertThat(bankAccounts(account).size()).isEqualTo(1);
    }

    @Test
    void aTokenAnswerWhoseBodyTrailsPastTheReadTimeoutIsA503() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("slow-token-body");
        // The headers come at once; the body only after the read timeout.
        PROVIDER.token(code, grant(code).setBodyDelay(6, TimeUnit.SECONDS), grant(code));
        PROVIDER.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", liveNumber(),
                "name", "Everyday")));

        Footprint before = footprint(account);
        long start = System.nanoTime();
        Response slow = authorize(account, intent.id(), code, intent.state());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertRefused(slow, 503, "PROVIDER_UNAVAILABLE");
        assertThat(millis).as("the 1s read timeout bounds the body too").isLessThan(5_000);
        assertThat(footprint(account)).isEqualTo(before);
        assertThat(statusOf(intent.id(), account)).isEqualTo("created");

        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));
        assertThat(statusOf(intent.id(), account)).isEqualTo("authorized");
    }

    static Stream<Arguments> failingAccountsAnswers() {
        return Stream.of(
                Arguments.of("500", new MockResponse().setResponseCode(500).setBody("oops")),
                Arguments.of("401", json(401, "{\"error\":\"invalid_token\"}")),
                Arguments.of("malformed JSON", json(200, "{\"accounts\": [")),
                Arguments.of("no accounts field", json(200, "{\"items\":[]}")),
                Arguments.of("accounts not a list", json(200, "{\"accounts\":\"01-0902-0068389-000\"}")),
                Arguments.of("an account without a name", json(200,
                        "{\"accounts\":[{\"accountNumber\":\"01-0902-0068389-000\"}]}")),
                Arguments.of("a NUL in a name", json(200,
                        "{\"accounts\":[{\"accountNumber\":\"01-0902-0068389-000\",\"name\":\"a\\u0000b\"}]}")),
                Arguments.of("a C1 control in a name", json(200,
                        "{\"accounts\":[{\"accountNumber\":\"01-0902-0068389-000\",\"name\":\"a\\u0085b\"}]}")),
                Arguments.of("a right-to-left override in a name", json(200,
                        "{\"accounts\":[{\"accountNumber\":\"01-0902-0068389-000\",\"name\":\"x\\u202egnp.exe\"}]}")),
                Arguments.of("a name over 200 characters", json(200,
                        "{\"accounts\":[{\"accountNumber\":\"01-0902-0068389-000\",\"name\":\""
                                + "n".repeat(201) + "\"}]}")),
                Arguments.of("over 1 MB", json(200, "{\"accounts\":[{\"accountNumber\":\"01-0902-0068389-000\","
                        + "\"name\":\"" + "n".repeat(1 << 20) + "\"}]}")));
    }

    @ParameterizedTest(name = "accounts endpoint answers {0}")
    @MethodSource("failingAccountsAnswers")
    void aBadAccountsAnswerIsA502AndCreatesNothing(String label, MockResponse failure) {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("accounts-failure");
        PROVIDER.token(code, grant(code), grant(code));
        PROVIDER.accounts(accessToken(code), failure, accountsAnswer(Map.of("accountNumber", liveNumber(),
                "name", "Everyday")));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, intent.state()), 502, "PROVIDER_ERROR");
        assertThat(footprint(account)).as("nothing is created").isEqualTo(before);
        assertThat(bankAccounts(account).size()).isZero();
        assertThat(statusOf(intent.id(), account)).isEqualTo("created");
        assertThat(PROVIDER.accountsRequests(accessToken(code))).hasSize(1);

        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));
        assertThat(statusOf(intent.id(), account)).isEqualTo("authorized");
        assertThat(bankAccounts(account).size()).isEqualTo(1);
        assertThat(PROVIDER.tokenRequests(code))
                .as("the retry uses the kept grant: the spent code is not sent again").hasSize(1);
        String kept = jdbc.sql("SELECT kept_grant FROM connection_intent_registry WHERE connection_intent_id = ?")
                .param(intent.id()).query(String.class).optional().orElse(null);
        assertThat(kept).as("the applied grant is forgotten").isNull();
    }

    @Test
    void anAccountsEndpointSlowerThanTheReadTimeoutIsA503() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("slow-accounts");
        PROVIDER.token(code, grant(code));
        PROVIDER.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", liveNumber(),
                "name", "Everyday")).setHeadersDelay(6, TimeUnit.SECONDS));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, intent.state()), 503, "PROVIDER_UNAVAILABLE");
        assertThat(footprint(account)).isEqualTo(before);
        assertThat(statusOf(intent.id(), account)).isEqualTo("created");
    }

    @Test
    void aProviderAccountWhoseNumberIsNotAValidNzNumberIsA502AndCreatesNothing() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("bad-number");
        PROVIDER.token(code, grant(code));
        // The first is valid; the second fails the check digits (branch 2850 is outside bank 31's range).
        PROVIDER.accounts(accessToken(code), accountsAnswer(
                Map.of("accountNumber", liveNumber(), "name", "Everyday"),
                Map.of("accountNumber", "31-2850-1234567-000", "name", "Savings")));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, intent.state()), 502, "PROVIDER_ERROR");
        assertThat(footprint(account)).isEqualTo(before);
        assertThat(bankAccounts(account).size()).isZero();
        assertThat(statusOf(intent.id(), account)).isEqualTo("created");
    }

    @Test
    void aProviderAccountThatIsNotAnNzNumberAtAllIsA502() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("not-a-number");
        PROVIDER.token(code, grant(code));
        PROVIDER.accounts(accessToken(code), accountsAnswer(
                Map.of("accountNumber", "GB29NWBK60161331926819", "name", "Abroad")));

        Footprint before = footprint(account);
        assertRefused(authorize(account, intent.id(), code, intent.state()), 502, "PROVIDER_ERROR");
        assertThat(footprint(account)).isEqualTo(before);
    }

    // ---------------------------------------------------------------------------------------------------------
    // A code the provider refuses

    @Test
    void anInvalidGrantAnsweredWith401AlsoFailsTheIntent() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("refused-401");
        PROVIDER.token(code, json(401, "{\"error\":\"invalid_grant\"}"));

        assertRefused(authorize(account, intent.id(), code, intent.state()), 403, "AUTHORIZATION_CODE_INVALID");
        assertThat(statusOf(intent.id(), account)).isEqualTo("failed");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    private long eventsContaining(String text) {
        return jdbc.sql("SELECT COUNT(*) FROM domain_event_entry WHERE position(? in convert_from(payload, 'UTF8')) > 0")
                .param(text).query(Long.class).single();
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
