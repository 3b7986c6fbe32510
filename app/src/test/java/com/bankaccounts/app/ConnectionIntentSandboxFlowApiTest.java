package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The sandbox bank's consent pages followed as a browser would (without following redirects), what an approved
 * consent connects, and that refresh tokens are stored only encrypted.
 */
class ConnectionIntentSandboxFlowApiTest extends ConnectionIntentApiTestSupport {

    @Test
    void theSandboxFlowConnectsTheDemoAccountsWithApprovedAccountConsents() {
        TestAccount account = newAccount(true);
        Response created = accountInformationIntent(account);
        JsonNode body = created.json();
        String id = body.get("id").asString();
        assertJustCreatedForTheSandbox(body, account, "account-information-consent", api);
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
        browser.openConsentPage(authorizationUrl);
        assertThat(browser.decide("not-a-state", "approve").status()).isEqualTo(400);
        SandboxBrowser.Page badDecision = browser.decide(state, "maybe");
        assertThat(badDecision.status()).as(badDecision.toString()).isEqualTo(400);
        assertThat(badDecision.location()).isNull();

        SandboxBrowser other = new SandboxBrowser(api);
        other.openConsentPage(authorizationUrl);
        SandboxBrowser.Consent consent = browser.approve(authorizationUrl);
        SandboxBrowser.Page again = other.decide(state, "approve");
        assertThat(again.status()).as("a consent issues one code: " + again).isEqualTo(409);
        assertThat(again.location()).isNull();
        assertThat(again.body()).contains("<h1>Already decided</h1>");
        assertEmptyObject(authorize(intent.text("id"), account.key(), ApiClient.map("code", consent.code())));
    }

    /**
     * A double click sends the form twice, and the browser shows only the second answer: the same session pressing the
     * same button again gets the first answer again, the code or the redirect with it; another session or the other
     * button finds the consent decided.
     */
    @Test
    void pressingTheSameButtonTwiceAnswersTheSameBothTimes() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        String state = SandboxBrowser.stateOf(intent.text("authorizationUrl"));
        browser.openConsentPage(intent.text("authorizationUrl"));
        SandboxBrowser other = new SandboxBrowser(api);
        other.openConsentPage(intent.text("authorizationUrl"));
        SandboxBrowser.Page first = browser.decide(state, "approve");
        SandboxBrowser.Page second = browser.decide(state, "approve");
        assertThat(first.status()).as(first.toString()).isEqualTo(303);
        assertThat(second.status()).as(second.toString()).isEqualTo(303);
        assertThat(second.location()).isEqualTo(first.location()).startsWith("/sandbox/callback?code=");
        SandboxBrowser.Page callback = browser.get(api.url(second.location()));
        assertThat(callback.status()).as(callback.toString()).isEqualTo(200);
        String code = SandboxBrowser.codeShownOn(callback);
        assertThat(callback.body()).contains("If the business asks you for a code, give it this one:")
                .doesNotContain("connection intent").doesNotContain(state);
        assertThat(first.location()).contains("code=" + code + "&");
        assertThat(browser.decide(state, "deny").status()).as("the other button").isEqualTo(409);
        assertThat(other.decide(state, "approve").status()).as("another session").isEqualTo(409);
        assertThat(statusOf(intent.text("id"), account)).isEqualTo("created");
        assertEmptyObject(authorize(intent.text("id"), account.key(), ApiClient.map("code", code)));

        String redirectUri = "https://client.example/callback";
        Response redirected = created(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent", "test", true, "redirectUri", redirectUri));
        String redirectedState = SandboxBrowser.stateOf(redirected.text("authorizationUrl"));
        browser.openConsentPage(redirected.text("authorizationUrl"));
        SandboxBrowser.Page toClient = browser.decide(redirectedState, "approve");
        assertThat(toClient.location()).startsWith(redirectUri + "?code=");
        assertThat(browser.decide(redirectedState, "approve").location()).isEqualTo(toClient.location());

        Response denied = accountInformationIntent(account);
        String deniedState = SandboxBrowser.stateOf(denied.text("authorizationUrl"));
        browser.openConsentPage(denied.text("authorizationUrl"));
        SandboxBrowser.Page deny = browser.decide(deniedState, "deny");
        assertThat(deny.status()).as(deny.toString()).isEqualTo(303);
        assertThat(browser.decide(deniedState, "deny").location()).isEqualTo(deny.location())
                .contains("error=access_denied");
        assertThat(browser.decide(deniedState, "approve").status()).as("the other button").isEqualTo(409);
        assertThat(statusOf(denied.text("id"), account)).isEqualTo("declined");
    }

    /**
     * A refused sign-in keeps the username and points its fields at the error; its address (the form's, left in the
     * address bar) opened again leads back to the consent. What the sandbox bank does not have is a page of its own,
     * the API's paths keep their JSON.
     */
    @Test
    void aRefusedSignInCanBeOpenedAgainAndUnknownPagesArePagesOfTheBank() {
        Response intent = accountInformationIntent(newAccount(true));
        String state = SandboxBrowser.stateOf(intent.text("authorizationUrl"));
        SandboxBrowser.Page signIn = browser.get(intent.text("authorizationUrl"));
        String action = "/sandbox/sign-in?state=" + URLEncoder.encode(state, StandardCharsets.UTF_8);
        assertThat(signIn.body()).contains("<form method=\"post\" action=\"" + action + "\">")
                .doesNotContain("aria-invalid");

        SandboxBrowser.Page refused = browser.post(action, "username", "user_gooood", "password", "pass_good");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
        assertThat(refused.body()).contains("<p class=\"error\" id=\"error\" role=\"alert\">")
                .contains("required value=\"user_gooood\" aria-invalid=\"true\" aria-describedby=\"error\">")
                .contains("autocomplete=\"current-password\" required aria-invalid=\"true\" "
                        + "aria-describedby=\"error\">")
                .doesNotContain("pass_good\"");

        SandboxBrowser.Page reopened = browser.get(api.url(action));
        assertThat(reopened.status()).as(reopened.toString()).isEqualTo(303);
        assertThat(reopened.location()).isEqualTo("/sandbox/consent?state="
                + URLEncoder.encode(state, StandardCharsets.UTF_8));
        assertThat(browser.get(api.url(reopened.location())).body()).contains("action=\"" + action + "\"");
        SandboxBrowser.Page withoutState = browser.get(api.url("/sandbox/sign-in"));
        assertThat(withoutState.status()).isEqualTo(404);
        assertThat(withoutState.contentType()).startsWith("text/html");
        assertThat(withoutState.body()).contains("<h1>Unknown consent</h1>");

        assertThat(browser.get(api.url("/sandbox")).contentType()).startsWith("text/html");
        SandboxBrowser.Page unknown = browser.get(api.url("/sandbox/no-such-page"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("text/html");
        assertThat(unknown.body()).contains("<h1>Page not found</h1>").contains("start again");
        SandboxBrowser.Page wrongMethod = browser.post("/sandbox/callback");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.contentType()).startsWith("text/html");
        assertThat(wrongMethod.body()).contains("<h1>Not available</h1>");
        assertThat(browser.get(api.url("/sandbox/sandbox.css")).status()).isEqualTo(200);
        assertRefused(api.get("/api/no-such-thing", ADMIN_KEY), 404, "NOT_FOUND");

        SandboxBrowser.Page noAnswer = browser.get(api.url("/sandbox/callback"));
        assertThat(noAnswer.status()).isEqualTo(404);
        assertThat(noAnswer.body()).contains("Sandbox Bank has no answer to show at this address.");
    }

    /** A payment consent's page names the account it would debit: the bank account the intent names. */
    @Test
    void aPaymentConsentNamesTheAccountItWouldDebit() {
        TestAccount account = newAccount(true);
        Response bankAccount = api.post("/api/bank-accounts", account.key(),
                ApiClient.map("bankAccountNumber", uniqueTestNumber(), "bankAccountName", "Aroha <Ngata>"));
        assertThat(bankAccount.status()).as(bankAccount.toString()).isEqualTo(200);
        Response intent = created(account, ApiClient.map("accountId", account.id(),
                "type", "enduring-payment-consent", "bankAccountId", bankAccount.text("id"), "test", true));
        browser.openConsentPage(intent.text("authorizationUrl"));
        SandboxBrowser.Page page = browser.get(intent.text("authorizationUrl"));
        assertThat(page.body()).contains("<dt>From your account</dt><dd id=\"debit-account\"><bdi>Aroha &lt;Ngata&gt;"
                + "</bdi> <code class=\"number\">" + bankAccount.text("bankAccountNumber") + "</code></dd>");

        SandboxBrowser.Page information = browser.get(accountInformationIntent(account).text("authorizationUrl"));
        assertThat(information.body()).doesNotContain("debit-account");
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

        for (Response intent : List.of(withRedirect, withoutRedirect)) {
            JsonNode declined = getIntent(intent.text("id"), account.key()).json();
            assertThat(declined.get("status").asString()).as(declined.toString()).isEqualTo("declined");
            assertThat(declined.get("updatedBy").asString()).isEqualTo("crn::sandbox-bank");
            assertRefused(authorize(intent.text("id"), account.key(), ApiClient.map("code", "any-code")), 403,
                    "CONNECTION_INTENT_DECLINED");
        }
        assertThat(bankAccounts(account).size()).isZero();

        SandboxBrowser.Page link = browser.get(withRedirect.text("authorizationUrl"));
        assertThat(link.status()).as(link.toString()).isEqualTo(409);
        assertThat(link.body()).contains("<h1>Consent declined</h1>");
        SandboxBrowser.Page approveAfterDeny = browser.decide(state, "approve");
        assertThat(approveAfterDeny.status()).as(approveAfterDeny.toString()).isEqualTo(409);
        assertThat(approveAfterDeny.location()).as("no code for a declined consent").isNull();
        assertThat(statusOf(withRedirect.text("id"), account)).isEqualTo("declined");
    }

    /**
     * Approve and Deny pressed at once (two tabs, twice each): exactly one decision wins, and the intent ends as that
     * one says.
     */
    @Test
    void ofApproveAndDenySentAtOnceExactlyOneWins() throws Exception {
        for (int round = 0; round < 6; round++) {
            TestAccount account = newAccount(true);
            Response intent = accountInformationIntent(account);
            String state = SandboxBrowser.stateOf(intent.text("authorizationUrl"));
            browser.openConsentPage(intent.text("authorizationUrl"));
            List<Callable<SandboxBrowser.Page>> presses = new ArrayList<>();
            for (String decision : List.of("approve", "deny", "approve", "deny")) {
                presses.add(() -> browser.decide(state, decision));
            }
            ExecutorService pool = Executors.newFixedThreadPool(presses.size());
            List<SandboxBrowser.Page> answers = new ArrayList<>();
            try {
                for (Future<SandboxBrowser.Page> answer : pool.invokeAll(presses)) {
                    answers.add(answer.get());
                }
            } finally {
                pool.shutdownNow();
            }
            // One session: the button that won answers the same to each of its presses, the other button 409.
            List<SandboxBrowser.Page> won = answers.stream().filter(page -> page.status() == 303).toList();
            assertThat(won).as(answers.toString()).hasSize(2);
            assertThat(won.get(1).location()).isEqualTo(won.get(0).location());
            assertThat(answers).extracting(SandboxBrowser.Page::status).containsOnly(303, 409);
            Map<String, String> outcome = SandboxBrowser.query(URI.create(api.url("/")).resolve(won.get(0).location()));
            // The other button's page says what was decided.
            assertThat(answers).filteredOn(page -> page.status() == 409).extracting(SandboxBrowser.Page::body)
                    .allSatisfy(body -> assertThat(body).contains(outcome.containsKey("code")
                            ? "<h1>Already decided</h1>" : "<h1>Consent declined</h1>"));
            if (outcome.containsKey("code")) {
                assertThat(statusOf(intent.text("id"), account)).isEqualTo("created");
                assertEmptyObject(authorize(intent.text("id"), account.key(),
                        ApiClient.map("code", outcome.get("code"))));
            } else {
                assertThat(outcome).containsEntry("error", "access_denied");
                assertThat(statusOf(intent.text("id"), account)).isEqualTo("declined");
            }
        }
    }

    @Test
    void theProvidersAccessDeniedReportedByTheClientDeclinesTheIntent() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        String id = intent.text("id");
        String state = SandboxBrowser.stateOf(intent.text("authorizationUrl"));
        long events = eventCount();
        Response otherError = authorize(id, account.key(), ApiClient.map("error", "server_error"));
        assertThat(otherError.status()).as(otherError.toString()).isEqualTo(400);
        assertThat(otherError.message()).contains("error must be access_denied");
        Response both = authorize(id, account.key(), ApiClient.map("error", "access_denied", "code", "x"));
        assertThat(both.status()).as(both.toString()).isEqualTo(400);
        assertThat(both.message()).contains("code and error are exclusive");
        assertRefused(authorize(id, account.key(), ApiClient.map("error", "access_denied", "state", "other")),
                403, "STATE_MISMATCH");
        assertThat(eventCount()).isEqualTo(events);

        assertEmptyObject(authorize(id, account.key(), ApiClient.map("error", "access_denied", "state", state)));
        assertThat(statusOf(id, account)).isEqualTo("declined");
        assertRefused(authorize(id, account.key(), ApiClient.map("error", "access_denied")), 403,
                "CONNECTION_INTENT_DECLINED");
        SandboxBrowser.Page link = browser.get(intent.text("authorizationUrl"));
        assertThat(link.status()).as("the link closes however the intent was declined: " + link).isEqualTo(409);
        assertThat(link.body()).contains("Consent declined");

        Response request = api.post("/api/bank-account-requests", account.key(),
                ApiClient.map("accountId", account.id(), "type", "quartz-details"));
        assertThat(request.status()).as(request.toString()).isEqualTo(200);
        assertEmptyObject(api.post("/api/bank-account-requests/" + request.text("id") + "/authorize", account.key(),
                ApiClient.map("error", "access_denied")));
        Response read = api.get("/api/bank-account-requests/" + request.text("id"), account.key());
        assertThat(read.text("status")).as("the older face shows declined as failed").isEqualTo("failed");
    }

    /** A Deny whose decline could not be recorded leaves the link open: pressed again, it declines. */
    @Test
    void aDenyThatCouldNotBeRecordedLeavesTheLinkOpen() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        String id = intent.text("id");
        String state = SandboxBrowser.stateOf(intent.text("authorizationUrl"));
        browser.openConsentPage(intent.text("authorizationUrl"));
        long events = eventCount();

        SandboxBrowser.Page failed = withEventsRefused(id, () -> browser.decide(state, "deny"));
        assertThat(failed.status()).as(failed.toString()).isEqualTo(500);
        assertThat(failed.contentType()).startsWith("text/html");
        assertThat(failed.body()).contains("Sandbox Bank").doesNotContain("refused by the test");
        assertThat(failed.location()).isNull();
        assertThat(eventCount()).isEqualTo(events);
        assertThat(statusOf(id, account)).isEqualTo("created");

        browser.openConsentPage(intent.text("authorizationUrl"));
        SandboxBrowser.Page denied = browser.decide(state, "deny");
        assertThat(denied.status()).as(denied.toString()).isEqualTo(303);
        assertThat(SandboxBrowser.query(URI.create(api.url("/")).resolve(denied.location())))
                .containsEntry("error", "access_denied");
        assertThat(statusOf(id, account)).isEqualTo("declined");
    }

    /**
     * A failure reported after the decline was stored (as a lost reply of Axon Server would be) does not open the
     * link again: the page finds the intent declined in the registry. Here the registry is set by hand before a decline
     * that fails, which is how that looks to the page.
     */
    @Test
    void theLinkOfAnIntentDeclinedInTheRegistryStaysClosedWhenADenyFails() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        String id = intent.text("id");
        String state = SandboxBrowser.stateOf(intent.text("authorizationUrl"));
        browser.openConsentPage(intent.text("authorizationUrl"));
        jdbc.sql("UPDATE connection_intent_registry SET status = 'declined' WHERE connection_intent_id = ?")
                .param(id).update();

        SandboxBrowser.Page failed = withEventsRefused(id, () -> browser.decide(state, "deny"));
        assertThat(failed.status()).as(failed.toString()).isEqualTo(500);

        SandboxBrowser.Page link = browser.get(intent.text("authorizationUrl"));
        assertThat(link.status()).as(link.toString()).isEqualTo(409);
        assertThat(link.body()).contains("<h1>Consent declined</h1>");
    }

    /** A code the bank never issued fails the intent; its link then has nothing left to decide. */
    @Test
    void theLinkOfAFailedIntentCannotBeDecided() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        String state = SandboxBrowser.stateOf(intent.text("authorizationUrl"));
        browser.openConsentPage(intent.text("authorizationUrl"));
        assertRefused(authorize(intent.text("id"), account.key(), ApiClient.map("code", "made-up")), 403,
                "AUTHORIZATION_CODE_INVALID");
        assertThat(statusOf(intent.text("id"), account)).isEqualTo("failed");

        SandboxBrowser.Page page = browser.get(intent.text("authorizationUrl"));
        assertThat(page.status()).as(page.toString()).isEqualTo(409);
        assertThat(page.body()).contains("<h1>Request ended</h1>");
        for (String decision : List.of("approve", "deny")) {
            SandboxBrowser.Page decided = browser.decide(state, decision);
            assertThat(decided.status()).as(decision + ": " + decided).isEqualTo(409);
            assertThat(decided.location()).as("no code is issued").isNull();
        }
    }

    /** Given, then failed by a code the bank did not issue: the pages no longer tell the user it worked. */
    @Test
    void aConsentGivenForAnIntentThatThenFailedSaysSoOnItsPages() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        assertRefused(authorize(intent.text("id"), account.key(),
                ApiClient.map("code", "made-up", "state", consent.state())), 403, "AUTHORIZATION_CODE_INVALID");

        for (String page : List.of(consent.location().toString(), intent.text("authorizationUrl"))) {
            SandboxBrowser.Page shown = browser.get(page);
            assertThat(shown.status()).as(shown.toString()).isEqualTo(409);
            assertThat(shown.body()).contains("<h1>Connection failed</h1>").doesNotContain(consent.code());
        }
    }

    @Test
    void aLinkOlderThanItsValidityShowsThatItExpiredAndCannotBeDecided() {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        String state = SandboxBrowser.stateOf(intent.text("authorizationUrl"));
        browser.openConsentPage(intent.text("authorizationUrl"));
        jdbc.sql("UPDATE sandbox_consents SET opened_at = opened_at - INTERVAL '31 minutes' WHERE state = ?")
                .param(state).update();

        SandboxBrowser.Page page = browser.get(intent.text("authorizationUrl"));
        assertThat(page.status()).as(page.toString()).isEqualTo(410);
        assertThat(page.body()).contains("<h1>Link expired</h1>");
        for (String decision : List.of("approve", "deny")) {
            SandboxBrowser.Page decided = browser.decide(state, decision);
            assertThat(decided.status()).as(decision + ": " + decided).isEqualTo(410);
            assertThat(decided.location()).isNull();
        }
        assertThat(statusOf(intent.text("id"), account)).isEqualTo("created");
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
