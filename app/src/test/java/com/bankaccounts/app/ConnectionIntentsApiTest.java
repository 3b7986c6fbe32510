package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.bankaccount.BankAccountNumbers;
import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Connection intents over real HTTP: creation and its validation, the sandbox bank's consent pages followed as a
 * browser would (without following redirects), authorization and what it creates, the error codes, access by other
 * keys, and that refresh tokens are stored only encrypted.
 */
class ConnectionIntentsApiTest extends ApiTestSupport {

    static final String INTENTS = "/api/bank-account-connection-intents";
    private static final String UNKNOWN_ID = "DcTs3U38HdhfEqwF1GKoT3";

    private SandboxBrowser browser;

    @BeforeEach
    void startBrowser() {
        browser = new SandboxBrowser(api);
    }

    /** The end user's browser on the sandbox bank's pages: plain HTTP, redirects are looked at, never followed. */
    static final class SandboxBrowser {

        private static final Pattern NUMBER = Pattern.compile("<code>(\\d{2}-\\d{4}-\\d{7}-\\d{2,3})</code>");
        private static final Pattern CODE = Pattern.compile("<code id=\"code\">([^<]*)</code>");

        private final ApiClient api;
        private final HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        SandboxBrowser(ApiClient api) {
            this.api = api;
        }

        record Page(int status, String contentType, String location, String body) {
            @Override
            public String toString() {
                return status + " " + contentType + " location=" + location + " " + body;
            }
        }

        /** What the consent page showed and what the Approve button answered. */
        record Consent(List<String> numbers, String state, String code, URI location) {
        }

        Page get(String url) {
            return send(HttpRequest.newBuilder(URI.create(url)).GET());
        }

        Page decide(String state, String decision) {
            String form = "state=" + URLEncoder.encode(state, StandardCharsets.UTF_8)
                    + "&decision=" + URLEncoder.encode(decision, StandardCharsets.UTF_8);
            return send(HttpRequest.newBuilder(URI.create(api.url("/sandbox/consent")))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
        }

        /** Opens the consent page and checks it: HTML, two demo accounts, Approve and Deny for this state. */
        List<String> openConsentPage(String authorizationUrl) {
            assertThat(authorizationUrl).startsWith(api.url("/sandbox/consent?state="));
            Page page = get(authorizationUrl);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(page.body()).contains("<form method=\"post\" action=\"/sandbox/consent\">")
                    .contains("<input type=\"hidden\" name=\"state\" value=\"" + stateOf(authorizationUrl) + "\">")
                    .contains("name=\"decision\" value=\"approve\">Approve</button>")
                    .contains("name=\"decision\" value=\"deny\">Deny</button>");
            List<String> numbers = new ArrayList<>();
            Matcher matcher = NUMBER.matcher(page.body());
            while (matcher.find()) {
                numbers.add(matcher.group(1));
            }
            assertThat(numbers).as(page.body()).hasSize(2).doesNotHaveDuplicates();
            for (String number : numbers) {
                assertThat(BankAccountNumbers.hasValidCheckDigits(number)).as(number + " is a valid number").isTrue();
            }
            return numbers;
        }

        /** Opens the consent page, presses Approve, and takes the code from the 303's Location. */
        Consent approve(String authorizationUrl) {
            List<String> numbers = openConsentPage(authorizationUrl);
            String state = stateOf(authorizationUrl);
            Page answer = decide(state, "approve");
            assertThat(answer.status()).as(answer.toString()).isEqualTo(303);
            assertThat(answer.location()).as(answer.toString()).isNotNull();
            URI location = URI.create(api.url("/")).resolve(answer.location());
            Map<String, String> query = query(location);
            assertThat(query.get("code")).as(answer.toString()).isNotBlank();
            assertThat(query.get("state")).isEqualTo(state);
            assertThat(query).doesNotContainKey("error");
            return new Consent(numbers, state, query.get("code"), location);
        }

        private Page send(HttpRequest.Builder request) {
            try {
                HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return new Page(response.statusCode(),
                        response.headers().firstValue("content-type").orElse(null),
                        response.headers().firstValue("location").orElse(null), response.body());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        static String stateOf(String authorizationUrl) {
            return query(URI.create(authorizationUrl)).get("state");
        }

        static Map<String, String> query(URI uri) {
            Map<String, String> values = new LinkedHashMap<>();
            if (uri.getRawQuery() == null) {
                return values;
            }
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                values.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
            return values;
        }

        static String codeShownOn(Page callback) {
            Matcher matcher = CODE.matcher(callback.body());
            return matcher.find() ? matcher.group(1) : null;
        }
    }

    private Response create(TestAccount account, Object body) {
        return api.post(INTENTS, account.key(), body);
    }

    private Response created(TestAccount account, Object body) {
        Response created = create(account, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created;
    }

    /** A test account-information-consent intent of the account. */
    private Response accountInformationIntent(TestAccount account) {
        return created(account, ApiClient.map("accountId", account.id(), "type", "account-information-consent",
                "test", true));
    }

    private Response getIntent(String id, String key) {
        return api.get(INTENTS + "/" + id, key);
    }

    private Response authorize(String id, String key, Object body) {
        return api.post(INTENTS + "/" + id + "/authorize", key, body);
    }

    private String statusOf(String id, TestAccount account) {
        Response intent = getIntent(id, account.key());
        assertThat(intent.status()).as(intent.toString()).isEqualTo(200);
        return intent.text("status");
    }

    private Map<String, JsonNode> bankAccountsByNumber(TestAccount account) {
        Map<String, JsonNode> byNumber = new LinkedHashMap<>();
        for (JsonNode bankAccount : bankAccounts(account)) {
            JsonNode previous = byNumber.put(bankAccount.get("bankAccountNumber").asString(), bankAccount);
            assertThat(previous).as("duplicate bank account number " + bankAccount).isNull();
        }
        return byNumber;
    }

    /** A valid live number of this run (check digits hold), so no holder limit is reached through other tests. */
    private static String uniqueLiveNumber() {
        for (long base = ThreadLocalRandom.current().nextLong(100_000, 9_000_000); ; base++) {
            String candidate = "03-1500-" + String.format("%07d", base) + "-000";
            if (BankAccountNumbers.hasValidCheckDigits(candidate)) {
                return candidate;
            }
        }
    }

    private long intentsStoredFor(TestAccount account) {
        return jdbc.sql("SELECT COUNT(*) FROM connection_intent_registry WHERE account_id = ?")
                .param(account.id()).query(Long.class).single()
                + jdbc.sql("SELECT COUNT(*) FROM connection_intent_view WHERE account_id = ?")
                .param(account.id()).query(Long.class).single();
    }

    private static void assertAccountConsent(JsonNode approval, TestAccount account, String bankAccountId) {
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

    @Test
    void theSandboxFlowConnectsTheDemoAccountsWithApprovedAccountConsents() {
        TestAccount account = newAccount(true);
        Response created = accountInformationIntent(account);
        JsonNode body = created.json();
        String id = body.get("id").asString();
        assertThat(id).hasSize(22);
        assertThat(body.get("accountId").asString()).isEqualTo(account.id());
        assertThat(body.get("type").asString()).isEqualTo("account-information-consent");
        assertThat(body.get("status").asString()).isEqualTo("created");
        assertThat(body.get("createdAt").asString()).matches(TIMESTAMP);
        assertThat(body.get("createdBy").asString()).isEqualTo(crn(account));
        assertThat(body.get("updatedAt").asString()).isEqualTo(body.get("createdAt").asString());
        assertThat(body.get("updatedBy").asString()).isEqualTo(crn(account));
        assertThat(body.get("authorizationUrl").asString()).startsWith(api.url("/sandbox/consent?state="));
        assertThat(body.get("test").asBoolean()).isTrue();
        for (String absent : List.of("bankAccountId", "name", "period", "totalAmount", "redirectUri")) {
            assertThat(body.has(absent)).as(absent + " in " + body).isFalse();
        }
        Response read = getIntent(id, account.key());
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(body);

        SandboxBrowser.Consent consent = browser.approve(body.get("authorizationUrl").asString());
        assertThat(consent.location().getPath()).as("no redirectUri: the server's own callback page")
                .isEqualTo("/sandbox/callback");
        SandboxBrowser.Page callback = browser.get(consent.location().toString());
        assertThat(callback.status()).as(callback.toString()).isEqualTo(200);
        assertThat(callback.contentType()).startsWith("text/html");
        assertThat(SandboxBrowser.codeShownOn(callback)).as(callback.body()).isEqualTo(consent.code());
        assertThat(bankAccounts(account).size()).as("nothing is connected before the code is exchanged").isZero();
        assertThat(statusOf(id, account)).isEqualTo("created");

        assertEmptyObject(authorize(id, account.key(), ApiClient.map("code", consent.code(), "state", consent.state())));

        JsonNode authorized = getIntent(id, account.key()).json();
        assertThat(authorized.get("status").asString()).isEqualTo("authorized");
        assertThat(authorized.get("updatedAt").asString()).matches(TIMESTAMP)
                .isGreaterThanOrEqualTo(body.get("createdAt").asString());
        assertThat(authorized.get("updatedBy").asString()).isEqualTo(crn(account));
        for (String unchanged : List.of("id", "accountId", "type", "createdAt", "createdBy", "authorizationUrl",
                "test")) {
            assertThat(authorized.get(unchanged)).as(unchanged).isEqualTo(body.get(unchanged));
        }

        Map<String, JsonNode> connected = bankAccountsByNumber(account);
        assertThat(connected.keySet()).containsExactlyInAnyOrderElementsOf(consent.numbers());
        Set<String> refreshTokens = new HashSet<>();
        Set<String> consentIds = new HashSet<>();
        for (JsonNode bankAccount : connected.values()) {
            assertThat(bankAccount.get("accountId").asString()).isEqualTo(account.id());
            assertThat(bankAccount.get("test").asBoolean()).as(bankAccount.toString()).isTrue();
            assertThat(bankAccount.get("bankAccountName").asString()).isIn("Everyday Account", "Online Saver");
            JsonNode summaries = bankAccount.get("approvals");
            assertThat(summaries.size()).as(bankAccount.toString()).isEqualTo(1);
            assertThat(summaries.get(0).get("type").asString()).isEqualTo("account-consent");
            assertThat(summaries.get(0).get("status").asString()).isEqualTo("approved");

            String bankAccountId = bankAccount.get("id").asString();
            JsonNode approvals = approvalsOf(bankAccountId, account);
            assertThat(approvals.size()).as(approvals.toString()).isEqualTo(1);
            JsonNode approval = approvals.get(0);
            assertAccountConsent(approval, account, bankAccountId);
            refreshTokens.add(approval.get("refreshToken").asString());
            consentIds.add(approval.get("consentId").asString());
            Response single = api.get("/api/bank-account-approvals/" + approval.get("id").asString(), account.key());
            assertThat(single.json()).isEqualTo(approval);
        }
        assertThat(refreshTokens).as("one consent, one grant").hasSize(1);
        assertThat(consentIds).hasSize(1);
    }

    @Test
    void theConsentPagesRefuseWhatTheyDoNotKnow() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        String authorizationUrl = intent.text("authorizationUrl");
        String state = SandboxBrowser.stateOf(authorizationUrl);

        SandboxBrowser.Page unknown = browser.get(api.url("/sandbox/consent?state=not-a-state"));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("text/html");
        assertThat(browser.get(api.url("/sandbox/consent")).status()).isEqualTo(404);
        assertThat(browser.decide("not-a-state", "approve").status()).isEqualTo(400);
        SandboxBrowser.Page badDecision = browser.decide(state, "maybe");
        assertThat(badDecision.status()).as(badDecision.toString()).isEqualTo(400);
        assertThat(badDecision.location()).isNull();

        SandboxBrowser.Consent consent = browser.approve(authorizationUrl);
        SandboxBrowser.Page again = browser.decide(state, "approve");
        assertThat(again.status()).as("a consent issues one code: " + again).isEqualTo(409);
        assertThat(again.location()).isNull();
        assertEmptyObject(authorize(intent.text("id"), account.key(), ApiClient.map("code", consent.code())));
    }

    @Test
    void withARedirectUriTheConsentRedirectsThere() {
        TestAccount account = newAccount(true);
        String redirectUri = "https://client.example/banking/callback?session=42";
        Response created = created(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent", "test", true, "redirectUri", redirectUri));
        assertThat(created.text("redirectUri")).isEqualTo(redirectUri);
        String id = created.text("id");

        SandboxBrowser.Consent consent = browser.approve(created.text("authorizationUrl"));
        assertThat(consent.location().toString()).startsWith(redirectUri + "&");
        assertThat(SandboxBrowser.query(consent.location()).get("session")).isEqualTo("42");

        // The state is optional in the authorize body.
        assertEmptyObject(authorize(id, account.key(), ApiClient.map("code", consent.code())));
        assertThat(statusOf(id, account)).isEqualTo("authorized");
        assertThat(bankAccountsByNumber(account).keySet()).containsExactlyInAnyOrderElementsOf(consent.numbers());

        String plainRedirect = "http://localhost:3000/done";
        Response second = created(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent", "test", true, "redirectUri", plainRedirect));
        SandboxBrowser.Consent secondConsent = browser.approve(second.text("authorizationUrl"));
        assertThat(secondConsent.location().toString()).startsWith(plainRedirect + "?code=");
    }

    @Test
    void denyingRedirectsWithAccessDeniedAndIssuesNoCode() {
        TestAccount account = newAccount(true);
        String redirectUri = "https://client.example/callback";
        Response withRedirect = created(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent", "test", true, "redirectUri", redirectUri));
        String state = SandboxBrowser.stateOf(withRedirect.text("authorizationUrl"));
        browser.openConsentPage(withRedirect.text("authorizationUrl"));
        SandboxBrowser.Page denied = browser.decide(state, "deny");
        assertThat(denied.status()).as(denied.toString()).isEqualTo(303);
        assertThat(denied.location()).startsWith(redirectUri + "?");
        Map<String, String> query = SandboxBrowser.query(URI.create(denied.location()));
        assertThat(query).containsEntry("error", "access_denied").containsEntry("state", state)
                .doesNotContainKey("code");

        Response withoutRedirect = accountInformationIntent(account);
        String otherState = SandboxBrowser.stateOf(withoutRedirect.text("authorizationUrl"));
        SandboxBrowser.Page deniedToCallback = browser.decide(otherState, "deny");
        assertThat(deniedToCallback.status()).isEqualTo(303);
        URI location = URI.create(api.url("/")).resolve(deniedToCallback.location());
        assertThat(location.getPath()).isEqualTo("/sandbox/callback");
        assertThat(SandboxBrowser.query(location)).containsEntry("error", "access_denied")
                .containsEntry("state", otherState).doesNotContainKey("code");
        SandboxBrowser.Page callback = browser.get(location.toString());
        assertThat(callback.status()).isEqualTo(200);
        assertThat(callback.body()).contains("access_denied");
        assertThat(SandboxBrowser.codeShownOn(callback)).isNull();

        assertThat(statusOf(withRedirect.text("id"), account)).isEqualTo("created");
        assertThat(statusOf(withoutRedirect.text("id"), account)).isEqualTo("created");
        assertThat(bankAccounts(account).size()).isZero();
    }

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

        JsonNode approvals = approvalsOf(bankAccountId, account);
        assertThat(approvals.size()).as(approvals.toString()).isEqualTo(1);
        JsonNode approval = approvals.get(0);
        assertThat(approval.get("type").asString()).isEqualTo("payment-consent");
        assertThat(approval.get("status").asString()).isEqualTo("approved");
        assertThat(approval.get("bankAccountId").asString()).isEqualTo(bankAccountId);
        assertThat(approval.get("name").asString()).isEqualTo("Groceries");
        assertThat(approval.get("period").asString()).isEqualTo("weekly");
        assertThat(approval.get("totalAmount").asString()).isEqualTo("50000");
        assertThat(approval.get("refreshToken").asString()).isNotBlank();
        assertThat(approval.get("consentId").asString()).isNotBlank();
        // A payment consent connects no accounts of the provider.
        JsonNode all = bankAccounts(account);
        assertThat(all.size()).as(all.toString()).isEqualTo(1);
        assertThat(all.get(0).get("approvals").get(0).get("type").asString()).isEqualTo("payment-consent");
        assertThat(all.get(0).get("approvals").get(0).get("status").asString()).isEqualTo("approved");
    }

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
                "name", "x".repeat(201)), "name");
        cases.put(ApiClient.map("accountId", id, "type", payment, "bankAccountId", bankAccountId, "test", true,
                "name", 5), "name");
        for (String redirectUri : List.of("not a url", "ftp://x", "javascript:alert(1)", "/relative/path",
                "https://client.example/cb#fragment", "https:///no-host", "")) {
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

    @Test
    void refreshTokensAreStoredOnlyEncrypted() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        assertEmptyObject(authorize(intent.text("id"), account.key(), ApiClient.map("code", consent.code())));
        String connectedBankAccount = bankAccountsByNumber(account).get(consent.numbers().get(0)).get("id").asString();
        JsonNode accountConsent = approvalsOf(connectedBankAccount, account).get(0);

        String paymentBankAccount = newBankAccount(account);
        Response payment = created(account, ApiClient.map("accountId", account.id(),
                "type", "enduring-payment-consent", "bankAccountId", paymentBankAccount, "test", true));
        SandboxBrowser.Consent paymentConsent = browser.approve(payment.text("authorizationUrl"));
        assertEmptyObject(authorize(payment.text("id"), account.key(), ApiClient.map("code", paymentConsent.code())));
        JsonNode paymentApproval = approvalsOf(paymentBankAccount, account).get(0);

        for (JsonNode approval : List.of(accountConsent, paymentApproval)) {
            String refreshToken = approval.get("refreshToken").asString();
            assertThat(refreshToken).as("the approval API gives the plain token back").hasSizeGreaterThan(20);
            assertThat(columnsContaining(refreshToken)).as("columns holding the plain refresh token").isEmpty();
            // The scan finds what is stored in plain text, in text columns and in the event store's bytea payloads.
            assertThat(columnsContaining(approval.get("consentId").asString()))
                    .contains("approval_view.consent_id", "domain_event_entry.payload");
        }
        assertThat(accountConsent.get("refreshToken").asString())
                .isNotEqualTo(paymentApproval.get("refreshToken").asString());
    }

    /** Every column of every table of the current schema in which the value occurs, as {@code table.column}. */
    private List<String> columnsContaining(String value) {
        List<Map<String, Object>> columns = jdbc.sql("""
                        SELECT c.table_name, c.column_name, c.data_type
                        FROM information_schema.columns c
                        JOIN information_schema.tables t
                          ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
                        ORDER BY c.table_name, c.ordinal_position""")
                .query().listOfRows();
        assertThat(columns).as("the schema has tables").hasSizeGreaterThan(20);
        List<String> found = new ArrayList<>();
        for (Map<String, Object> column : columns) {
            String table = quoted((String) column.get("table_name"));
            String name = quoted((String) column.get("column_name"));
            // Bytes are searched as bytes: never fails on invalid UTF-8, and finds the value in any text encoding
            // of it that keeps ASCII as it is (JSON, XML, CBOR strings).
            String condition = "bytea".equals(column.get("data_type"))
                    ? "position(convert_to(?, 'UTF8') IN " + name + ") > 0"
                    : "strpos(" + name + "::text, ?) > 0";
            long rows = jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE " + condition)
                    .param(value).query(Long.class).single();
            if (rows > 0) {
                found.add(column.get("table_name") + "." + column.get("column_name"));
            }
        }
        return found;
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
