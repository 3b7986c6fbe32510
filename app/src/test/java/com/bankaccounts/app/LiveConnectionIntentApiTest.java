package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Live connection intents against a real OAuth 2.0 authorization server on a local port: the authorization URL
 * (PKCE S256, state), the one code exchange (form POST, Basic client authentication, the verifier), the accounts
 * read with the access token, what an authorization creates, and the provider's failures, after which nothing has
 * changed and the same code may be tried again.
 * <p>
 * The provider answers per authorization code (token endpoint) and per access token (accounts endpoint), and
 * records what it was asked the same way, so no test sees another's requests or answers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveConnectionIntentApiTest extends ApiTestSupport {

    private static final String CLIENT_ID = "live-client";
    private static final String CLIENT_SECRET = "live-secret";
    private static final String DEFAULT_REDIRECT_URI = "https://merchant.example/callback";
    private static final String INTENTS = "/api/bank-account-connection-intents";

    /** Bank 31, branch 2837: algorithm X, so every base is valid; only this class uses the branch. */
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

    // ---------------------------------------------------------------------------------------------------------
    // A successful authorization

    @Test
    void authorizingExchangesTheCodeOnceAndConnectsTheProvidersAccounts() {
        TestAccount account = newAccount(false);
        String held = liveNumber();
        String fresh = liveNumber();
        Response existing = createBankAccount(account, held);
        assertThat(existing.status()).as(existing.toString()).isEqualTo(200);
        String existingId = existing.text("id");

        String redirectUri = "https://merchant.example/accounts/callback";
        Response intent = createIntent(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent", "redirectUri", redirectUri));
        assertThat(intent.status()).as(intent.toString()).isEqualTo(200);
        Map<String, String> query = query(intent.text("authorizationUrl"));

        String code = "good-code";
        PROVIDER_SCRIPT.forget(code);
        PROVIDER_SCRIPT.token(code, grant(code));
        PROVIDER_SCRIPT.accounts(accessToken(code),
                accountsAnswer(Map.of("accountNumber", held, "name", "Everyday"),
                        Map.of("accountNumber", fresh, "name", "Bills account")));

        Response authorized = authorize(account, intent.text("id"), code, query.get("state"));
        assertEmptyObject(authorized);

        List<TokenRequest> tokenRequests = PROVIDER_SCRIPT.tokenRequests(code);
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

        List<RecordedRequest> accountsRequests = PROVIDER_SCRIPT.accountsRequests(accessToken(code));
        assertThat(accountsRequests).hasSize(1);
        assertThat(accountsRequests.get(0).getMethod()).isEqualTo("GET");
        assertThat(accountsRequests.get(0).getHeader("Authorization")).isEqualTo("Bearer " + accessToken(code));

        assertThat(intentStatus(account, intent.text("id"))).isEqualTo("authorized");

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
            JsonNode approvals = approvals(account, bankAccount.get("id").asString());
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
        assertThat(PROVIDER_SCRIPT.tokenRequests(code)).as("the code is exchanged only once").hasSize(1);
    }

    // ---------------------------------------------------------------------------------------------------------

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
        return String.format("31-2837-%07d-000", LIVE_NUMBERS.incrementAndGet() % 10_000_000);
    }

    private static String newCode(String label) {
        return label + "-" + UUID.randomUUID();
    }

    private static String accessToken(String code) {
        return "access-" + code;
    }

    private static String refreshToken(String code) {
        return "refresh-" + code;
    }

    private static String consentId(String code) {
        return "consent-" + code;
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody(body);
    }

    private static MockResponse grant(String code) {
        return json(200, ApiClient.JSON.writeValueAsString(ApiClient.map(
                "access_token", accessToken(code), "token_type", "Bearer", "expires_in", 3600,
                "refresh_token", refreshToken(code), "consent_id", consentId(code))));
    }

    @SafeVarargs
    private static MockResponse accountsAnswer(Map<String, String>... accounts) {
        return json(200, ApiClient.JSON.writeValueAsString(Map.of("accounts", List.of(accounts))));
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

    private static Map<String, String> query(String url) {
        return form(URI.create(url).getRawQuery());
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            String previous = values.put(URLDecoder.decode(key, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
            assertThat(previous).as("parameter " + key + " appears once in " + encoded).isNull();
        }
        return values;
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record TokenRequest(RecordedRequest request, Map<String, String> form) {
    }

    /**
     * The authorization server: token answers scripted per code, accounts answers per access token, taken in
     * order; what is asked is recorded under the same keys. An unscripted call gets a 418, which the service
     * sees as a provider error.
     */
    private static final class ScriptedProvider extends Dispatcher {

        private final Map<String, Deque<MockResponse>> tokenAnswers = new ConcurrentHashMap<>();
        private final Map<String, Deque<MockResponse>> accountsAnswers = new ConcurrentHashMap<>();
        private final Map<String, List<TokenRequest>> tokenRequests = new ConcurrentHashMap<>();
        private final Map<String, List<RecordedRequest>> accountsRequests = new ConcurrentHashMap<>();

        void token(String code, MockResponse... answers) {
            tokenAnswers.computeIfAbsent(code, key -> new ConcurrentLinkedDeque<>()).addAll(List.of(answers));
        }

        void accounts(String accessToken, MockResponse... answers) {
            accountsAnswers.computeIfAbsent(accessToken, key -> new ConcurrentLinkedDeque<>())
                    .addAll(List.of(answers));
        }

        void forget(String code) {
            tokenAnswers.remove(code);
            tokenRequests.remove(code);
            accountsAnswers.remove(accessToken(code));
            accountsRequests.remove(accessToken(code));
        }

        List<TokenRequest> tokenRequests(String code) {
            return List.copyOf(tokenRequests.getOrDefault(code, List.of()));
        }

        List<RecordedRequest> accountsRequests(String accessToken) {
            return List.copyOf(accountsRequests.getOrDefault(accessToken, List.of()));
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getRequestUrl() == null ? "" : request.getRequestUrl().encodedPath();
            if ("/token".equals(path)) {
                Map<String, String> form = form(request.getBody().readUtf8());
                String code = form.getOrDefault("code", "");
                tokenRequests.computeIfAbsent(code, key -> new CopyOnWriteArrayList<>())
                        .add(new TokenRequest(request, form));
                return next(tokenAnswers.get(code));
            }
            if ("/accounts".equals(path)) {
                String authorization = request.getHeader("Authorization");
                String token = authorization != null && authorization.startsWith("Bearer ")
                        ? authorization.substring("Bearer ".length()) : "";
                accountsRequests.computeIfAbsent(token, key -> new CopyOnWriteArrayList<>()).add(request);
                return next(accountsAnswers.get(token));
            }
            return new MockResponse().setResponseCode(404);
        }

        private static MockResponse next(Deque<MockResponse> answers) {
            MockResponse answer = answers == null ? null : answers.pollFirst();
            return answer != null ? answer : json(418, "{\"error\":\"unscripted\"}");
        }
    }
}
