package com.bankaccounts.command.connectionintent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.connectionintent.DeclineConnectionIntentCommand;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.mockito.ArgumentCaptor;

import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/** The sandbox pages as the templates render them: statuses, the sign-in step, what they show, escaping. */
class SandboxConsentControllerTest {

    private static final String INTENT_ID = "3KVjuKW2CZCJeJVqPxwkX7";
    private static final String STATE = "st\"<a>&'e";
    private static final CsrfToken CSRF = new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "t0ken");

    private static final Duration LINK_VALIDITY = Duration.ofMinutes(30);

    private final SandboxConsents consents = mock(SandboxConsents.class);
    private final CommandGateway commands = mock(CommandGateway.class);
    private final SandboxDebitAccounts debitAccounts = mock(SandboxDebitAccounts.class);
    private final SandboxConsentController controller =
            new SandboxConsentController(consents, debitAccounts, new SandboxPages(templates()), commands,
                    LINK_VALIDITY, Duration.ofDays(90));

    private static SandboxConsents.Consent consent(String redirectUri, PaymentConsentTerms terms, Instant openedAt,
                                                   boolean decided) {
        return new SandboxConsents.Consent(STATE, INTENT_ID, redirectUri, "Acme <Ltd>", terms != null, terms,
                openedAt, decided, false, false);
    }

    /** The consent, read each time with the declined flag as it is then: the test's stand-in for its row. */
    private AtomicBoolean consentDeclinedAsRead() {
        AtomicBoolean declined = new AtomicBoolean();
        when(consents.findByState(STATE)).thenAnswer(ignored -> Optional.of(new SandboxConsents.Consent(STATE,
                INTENT_ID, null, "Acme", false, null, Instant.now(), false, declined.get(), false)));
        return declined;
    }

    /** Another request of the request's session: a second press, as a double click sends it. */
    private static MockHttpServletRequest sameSession(MockHttpServletRequest request) {
        MockHttpServletRequest other = new MockHttpServletRequest();
        other.setSession(request.getSession());
        return other;
    }

    private static MockHttpServletRequest signedIn() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.getSession().setAttribute(SandboxConsentController.SIGNED_IN, SandboxConsentController.USERNAME);
        return request;
    }

    @Test
    void aUserWhoHasNotSignedInIsAskedToSignInWithTheDemoCredentialsShown() {
        when(consents.findByState(STATE)).thenReturn(Optional.of(consent(null, null, Instant.now(), false)));

        ResponseEntity<String> page = controller.consentPage(STATE, new MockHttpServletRequest(), CSRF);

        assertPage(page, 200, "Sign in");
        assertThat(page.getBody())
                // The state in the form's address: a refused sign-in leaves it in the address bar.
                .contains("<form method=\"post\" action=\"/sandbox/sign-in?state=st%22%3Ca%3E%26%27e\">")
                .contains("<input type=\"hidden\" name=\"_csrf\" value=\"t0ken\">")
                .doesNotContain("aria-invalid")
                .contains("<label for=\"username\">").contains("<label for=\"password\">")
                .contains("<code>user_good</code>").contains("<code>pass_good</code>");
    }

    @Test
    void theDemoCredentialsSignInAndAnythingElseShowsAnError() {
        when(consents.findByState(STATE)).thenReturn(Optional.of(consent(null, null, Instant.now(), false)));
        MockHttpServletRequest request = new MockHttpServletRequest();

        ResponseEntity<String> wrong = controller.signIn(STATE, "user_good", "nope", request, CSRF);
        assertPage(wrong, 401, "Sign in");
        assertThat(wrong.getBody()).contains("role=\"alert\"")
                .contains("id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" "
                        + "autocapitalize=\"none\" spellcheck=\"false\" required value=\"user_good\" "
                        + "aria-invalid=\"true\" aria-describedby=\"error\">")
                .contains("autocomplete=\"current-password\" required aria-invalid=\"true\" aria-describedby=\"error\">");
        assertThat(request.getSession(false)).isNull();

        ResponseEntity<String> right = controller.signIn(STATE, "user_good", "pass_good", request, CSRF);
        assertThat(right.getStatusCode().value()).isEqualTo(303);
        assertThat(right.getHeaders().getFirst(HttpHeaders.LOCATION))
                .isEqualTo("/sandbox/consent?state=st%22%3Ca%3E%26%27e");
        assertThat(request.getSession().getAttribute(SandboxConsentController.SIGNED_IN)).isEqualTo("user_good");
    }

    @Test
    void theConsentPageNamesTheBusinessAndWhatIsSharedAndAsksToApproveOrDeny() {
        when(consents.findByState(STATE)).thenReturn(Optional.of(consent(null, null, Instant.now(), false)));

        ResponseEntity<String> page = controller.consentPage(STATE, signedIn(), CSRF);

        assertPage(page, 200, "Connect your accounts");
        assertThat(page.getBody())
                .contains("<strong id=\"business\" dir=\"auto\">Acme &lt;Ltd&gt;</strong> asks to see these accounts")
                .contains("The names and numbers of these accounts.")
                .contains("<form method=\"post\" action=\"/sandbox/consent\" class=\"decision\">")
                .contains("<input type=\"hidden\" name=\"state\" value=\"st&quot;&lt;a&gt;&amp;&#39;e\">")
                .contains("<input type=\"hidden\" name=\"_csrf\" value=\"t0ken\">")
                .contains("<button type=\"submit\" name=\"decision\" value=\"approve\" class=\"primary\">Approve</button>")
                .contains("<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button>");
        for (ProviderAccount account : SandboxAccounts.forIntent(INTENT_ID)) {
            assertThat(page.getBody()).contains("<span dir=\"auto\">" + account.name() + "</span> <code class=\"number\">"
                    + account.accountNumber() + "</code>");
        }
    }

    @Test
    void anAmountIsWrittenTheSameWhateverTheServersLocale() {
        when(consents.findByState(STATE)).thenReturn(Optional.of(consent(null,
                new PaymentConsentTerms("Acme Power", ConsentPeriod.MONTHLY, 123456789L), Instant.now(), false)));
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            assertThat(controller.consentPage(STATE, signedIn(), CSRF).getBody())
                    .contains("<dd id=\"amount\">$1,234,567.89 per month</dd>");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void aPaymentConsentShowsThePayeeTheLimitAndTheExpiry() {
        when(consents.findByState(STATE)).thenReturn(Optional.of(consent(null,
                new PaymentConsentTerms("Acme Power", ConsentPeriod.MONTHLY, 123456L), Instant.now(), false)));

        ResponseEntity<String> page = controller.consentPage(STATE, signedIn(), CSRF);

        assertPage(page, 200, "Approve a payment consent");
        assertThat(page.getBody())
                .contains("<dd id=\"payee\" dir=\"auto\">Acme &lt;Ltd&gt;</dd>")
                .contains("<dd id=\"consent-name\" dir=\"auto\">Acme Power</dd>")
                .contains("<dd id=\"amount\">$1,234.56 per month</dd>")
                .contains("<dd id=\"expiry\">")
                .doesNotContain("Everyday Account");
    }

    @Test
    void unknownUsedAndExpiredLinksEachHaveTheirPage() {
        when(consents.findByState(anyString())).thenReturn(Optional.empty());
        assertPage(controller.consentPage("not-a-state", signedIn(), CSRF), 404, "Unknown consent");
        assertPage(controller.consentPage(null, signedIn(), CSRF), 404, "Unknown consent");

        when(consents.findByState(STATE)).thenReturn(Optional.of(consent(null, null, Instant.now(), true)));
        assertPage(controller.consentPage(STATE, signedIn(), CSRF), 409, "Already decided");

        when(consents.findByState(STATE)).thenReturn(Optional.of(consent(null, null,
                Instant.now().minus(LINK_VALIDITY).minus(Duration.ofMinutes(1)), false)));
        assertPage(controller.consentPage(STATE, signedIn(), CSRF), 410, "Link expired");
        assertPage(controller.signIn(STATE, "user_good", "pass_good", signedIn(), CSRF), 410, "Link expired");
        assertPage(controller.decide(STATE, "approve", signedIn(), CSRF), 410, "Link expired");

        when(consents.findByState(STATE)).thenReturn(Optional.of(new SandboxConsents.Consent(STATE, INTENT_ID, null,
                "Acme <Ltd>", false, null, Instant.now(), false, true, false)));
        assertPage(controller.consentPage(STATE, signedIn(), CSRF), 409, "Consent declined");
        assertPage(controller.decide(STATE, "approve", signedIn(), CSRF), 409, "Consent declined");

        assertPage(controller.decide(STATE, "deny", signedIn(), CSRF), 409, "Consent declined");

        // The intent failed (its client presented a code the bank refused): nothing is left to decide.
        when(consents.findByState(STATE)).thenReturn(Optional.of(new SandboxConsents.Consent(STATE, INTENT_ID, null,
                "Acme <Ltd>", false, null, Instant.now(), false, false, true)));
        assertPage(controller.consentPage(STATE, signedIn(), CSRF), 409, "Request ended");
        assertPage(controller.decide(STATE, "approve", signedIn(), CSRF), 409, "Request ended");
        assertPage(controller.decide(STATE, "deny", signedIn(), CSRF), 409, "Request ended");

        // Given, then failed by a code the bank refused: the link and the outcome page no longer say "given".
        when(consents.findByState(STATE)).thenReturn(Optional.of(new SandboxConsents.Consent(STATE, INTENT_ID, null,
                "Acme <Ltd>", false, null, Instant.now(), true, false, true)));
        when(consents.issued(STATE, "the-code")).thenReturn(true);
        assertPage(controller.consentPage(STATE, signedIn(), CSRF), 409, "Connection failed");
        assertPage(controller.decide(STATE, "approve", signedIn(), CSRF), 409, "Connection failed");
        assertPage(controller.callback("the-code", STATE, null), 409, "Connection failed");
        // A payment consent's pages speak of payments, not of connecting accounts.
        when(consents.findByState(STATE)).thenReturn(Optional.of(new SandboxConsents.Consent(STATE, INTENT_ID, null,
                "Acme <Ltd>", true, null, Instant.now(), true, false, true)));
        assertThat(controller.callback("the-code", STATE, null).getBody()).contains("setting up its payments")
                .doesNotContain("connecting your accounts");
        when(consents.findByState(STATE)).thenReturn(Optional.of(new SandboxConsents.Consent(STATE, INTENT_ID, null,
                "Acme <Ltd>", true, null, Instant.now(), true, false, false)));
        assertThat(controller.callback("the-code", STATE, null).getBody())
                .contains("finish setting up its payments from your account").doesNotContain("connecting your accounts");

        // Given, then withdrawn by the business (its /authorize with access_denied): the code is void too.
        when(consents.findByState(STATE)).thenReturn(Optional.of(new SandboxConsents.Consent(STATE, INTENT_ID, null,
                "Acme <Ltd>", false, null, Instant.now(), true, true, false)));
        assertPage(controller.callback("the-code", STATE, null), 409, "Consent declined");
        verifyNoInteractions(commands);
    }

    /** Back and Approve again, after the client failed the intent with a made-up code: the void code stays home. */
    @Test
    void aSecondPressAfterTheIntentFailedDoesNotHandTheCodeOut() {
        when(consents.findByState(STATE)).thenReturn(Optional.of(consent(null, null, Instant.now(), false)));
        when(consents.issueCode(eq(STATE), anyString())).thenReturn(true);
        MockHttpServletRequest first = signedIn();
        assertThat(controller.decide(STATE, "approve", first, CSRF).getStatusCode().value()).isEqualTo(303);

        when(consents.findByState(STATE)).thenReturn(Optional.of(new SandboxConsents.Consent(STATE, INTENT_ID, null,
                "Acme <Ltd>", false, null, Instant.now(), true, false, true)));
        when(consents.issued(eq(STATE), anyString())).thenReturn(true);
        assertPage(controller.decide(STATE, "approve", sameSession(first), CSRF), 409, "Connection failed");
    }

    @Test
    void approvingRedirectsWithTheCodeAndDenyingWithTheError() {
        when(consents.findByState(STATE)).thenReturn(
                Optional.of(consent("https://merchant.example/back?x=1", null, Instant.now(), false)));
        when(consents.issueCode(eq(STATE), anyString())).thenReturn(true);
        when(consents.claimDecline(STATE)).thenReturn(true);

        ResponseEntity<String> approved = controller.decide(STATE, "approve", signedIn(), CSRF);
        ResponseEntity<String> denied = controller.decide(STATE, "deny", signedIn(), CSRF);

        assertThat(approved.getStatusCode().value()).isEqualTo(303);
        assertThat(approved.getHeaders().getFirst(HttpHeaders.LOCATION))
                .matches("https://merchant\\.example/back\\?x=1&code=[A-Za-z0-9_-]{43}&state=st%22%3Ca%3E%26%27e");
        assertThat(denied.getHeaders().getFirst(HttpHeaders.LOCATION))
                .isEqualTo("https://merchant.example/back?x=1&error=access_denied&state=st%22%3Ca%3E%26%27e");
        ArgumentCaptor<CommandMessage<?>> sent = ArgumentCaptor.captor();
        verify(commands).sendAndWait(sent.capture());
        assertThat(sent.getValue().getPayload())
                .isEqualTo(new DeclineConnectionIntentCommand(INTENT_ID, STATE, "access_denied"));
        assertThat(sent.getValue().getMetaData()).containsEntry("principal", "crn::sandbox-bank");
    }

    /**
     * A Deny whose decline the intent refuses, because it ended through the API after the page claimed the link, shows
     * how it ended. Before, both answered "Already decided": that the consent had been given.
     */
    @Test
    void aDenyThatLostToTheApiShowsHowTheIntentEnded() {
        AtomicBoolean failed = new AtomicBoolean();
        when(consents.findByState(STATE)).thenAnswer(ignored -> Optional.of(new SandboxConsents.Consent(STATE,
                INTENT_ID, null, "Acme", false, null, Instant.now(), false, false, failed.get())));
        when(consents.claimDecline(STATE)).thenReturn(true);
        when(commands.sendAndWait(any())).thenAnswer(ignored -> {
            failed.set(true);
            throw new BusinessRuleException(ErrorCode.CONNECTION_INTENT_FAILED);
        });

        assertPage(controller.decide(STATE, "deny", signedIn(), CSRF), 409, "Request ended");
        verify(consents).releaseDecline(STATE);
    }

    @Test
    void aDenyThatLostToADeclineThroughTheApiSaysTheConsentWasDeclined() {
        AtomicBoolean declined = consentDeclinedAsRead();
        when(consents.claimDecline(STATE)).thenAnswer(ignored -> declined.compareAndSet(false, true));
        when(commands.sendAndWait(any())).thenThrow(new BusinessRuleException(ErrorCode.CONNECTION_INTENT_DECLINED));

        assertPage(controller.decide(STATE, "deny", signedIn(), CSRF), 409, "Consent declined");
    }

    /**
     * Deny pressed twice at once in one session: both answer the redirect. Before, the second press could mark the
     * decline as the session's, lose the claim to the first press, and take back the mark the first had won with,
     * answering "Already decided". The mock holds the first claim until a second press claims too, which it can
     * only do when the session's presses do not take turns.
     */
    @Test
    @Timeout(10)
    void aSecondDenyOfTheSameSessionAnswersAsTheFirstWhicheverClaimsFirst() throws Exception {
        AtomicBoolean declined = consentDeclinedAsRead();
        AtomicInteger claims = new AtomicInteger();
        CountDownLatch secondClaim = new CountDownLatch(1);
        when(consents.claimDecline(STATE)).thenAnswer(ignored -> {
            if (claims.incrementAndGet() == 1) {
                secondClaim.await(1, TimeUnit.SECONDS);
            } else {
                secondClaim.countDown();
            }
            return declined.compareAndSet(false, true);
        });
        MockHttpServletRequest first = signedIn();
        MockHttpServletRequest second = sameSession(first);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<ResponseEntity<String>> firstAnswer = pool.submit(() -> controller.decide(STATE, "deny", first, CSRF));
            while (claims.get() == 0) {
                Thread.onSpinWait();
            }
            Future<ResponseEntity<String>> secondAnswer =
                    pool.submit(() -> controller.decide(STATE, "deny", second, CSRF));

            for (ResponseEntity<String> answer : List.of(firstAnswer.get(), secondAnswer.get())) {
                assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(303);
                assertThat(answer.getHeaders().getFirst(HttpHeaders.LOCATION))
                        .isEqualTo("/sandbox/callback?error=access_denied&state=st%22%3Ca%3E%26%27e");
            }
        } finally {
            pool.shutdownNow();
        }
        verify(commands).sendAndWait(any());
    }

    /**
     * A second Deny of the session while the first is being recorded waits for it: it never answers the redirect for a
     * decline not yet stored. When the first fails (the link opens again), the second declines itself. Before, the
     * second answered the redirect at once, and the decline was never recorded.
     */
    @Test
    @Timeout(10)
    void aSecondDenyWaitsForTheFirstAndTriesAgainWhenItFailed() throws Exception {
        AtomicBoolean declined = consentDeclinedAsRead();
        when(consents.claimDecline(STATE)).thenAnswer(ignored -> declined.compareAndSet(false, true));
        doAnswer(ignored -> {
            declined.set(false);
            return null;
        }).when(consents).releaseDecline(STATE);
        CountDownLatch firstSending = new CountDownLatch(1);
        CountDownLatch failFirst = new CountDownLatch(1);
        AtomicInteger sends = new AtomicInteger();
        when(commands.sendAndWait(any())).thenAnswer(ignored -> {
            if (sends.incrementAndGet() == 1) {
                firstSending.countDown();
                failFirst.await();
                throw new IllegalStateException("database unavailable");
            }
            return null;
        });
        MockHttpServletRequest first = signedIn();
        MockHttpServletRequest second = sameSession(first);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<ResponseEntity<String>> firstAnswer = pool.submit(() -> controller.decide(STATE, "deny", first, CSRF));
            firstSending.await();
            Future<ResponseEntity<String>> secondAnswer =
                    pool.submit(() -> controller.decide(STATE, "deny", second, CSRF));

            assertThatThrownBy(() -> secondAnswer.get(300, TimeUnit.MILLISECONDS))
                    .as("no answer while the first decline is not stored").isInstanceOf(TimeoutException.class);
            failFirst.countDown();
            assertThatThrownBy(firstAnswer::get).hasCauseInstanceOf(IllegalStateException.class);
            ResponseEntity<String> again = secondAnswer.get();
            assertThat(again.getStatusCode().value()).as(again.getBody()).isEqualTo(303);
        } finally {
            pool.shutdownNow();
        }
        verify(commands, times(2)).sendAndWait(any());
    }

    /** An Approve that lost to a Deny says the consent was declined, not that it was given. */
    @Test
    void anApproveThatLostToADenySaysTheConsentWasDeclined() {
        AtomicBoolean declined = consentDeclinedAsRead();
        when(consents.issueCode(eq(STATE), anyString())).thenAnswer(ignored -> {
            declined.set(true);
            return false;
        });

        assertPage(controller.decide(STATE, "approve", signedIn(), CSRF), 409, "Consent declined");
    }

    @Test
    void aDecisionWithoutSigningInIsAnsweredWithTheSignInPage() {
        when(consents.findByState(STATE)).thenReturn(Optional.of(consent(null, null, Instant.now(), false)));

        assertPage(controller.decide(STATE, "approve", new MockHttpServletRequest(), CSRF), 401, "Sign in");
    }

    @Test
    void aSecondDecisionOrAnUnknownOneIsRefusedWithAPage() {
        when(consents.findByState(STATE)).thenReturn(Optional.of(consent(null, null, Instant.now(), false)));
        when(consents.issueCode(eq(STATE), anyString())).thenReturn(false);

        assertPage(controller.decide(STATE, "approve", signedIn(), CSRF), 409, "Already decided");
        assertPage(controller.decide(STATE, "maybe", signedIn(), CSRF), 400, "Invalid request");
    }

    @Test
    void theCallbackShowsACodeThisBankIssuedEscaped() {
        when(consents.findByState(STATE)).thenReturn(Optional.of(consent(null, null, Instant.now(), true)));
        when(consents.issued(STATE, "<b>code</b>")).thenReturn(true);

        ResponseEntity<String> page = controller.callback("<b>code</b>", STATE, null);

        assertPage(page, 200, "Consent given");
        // Worded for the bank's customer: the code to give the business, no protocol's words or state.
        assertThat(page.getBody()).contains("<p>If the business asks you for a code, give it this one:</p>")
                .contains("<code id=\"code\">&lt;b&gt;code&lt;/b&gt;</code>")
                .doesNotContain("connection intent").doesNotContain("st&quot;&lt;a&gt;");
    }

    /** Text someone wrote into a link is never shown on this bank's page as if the bank had said it. */
    @Test
    void theCallbackShowsNothingThisBankDidNotDecide() {
        when(consents.findByState(STATE)).thenReturn(Optional.of(consent(null, null, Instant.now(), false)));

        assertPage(controller.callback("Call 0800 to finish", STATE, null), 404, "Unknown consent");
        assertPage(controller.callback(null, STATE, "Your account was suspended"), 404, "Unknown consent");
        assertPage(controller.callback("any", "unknown-state", null), 404, "Unknown consent");
        assertPage(controller.callback(null, null, "access_denied"), 404, "Unknown consent");
    }

    @Test
    void theCallbackOfADeclinedConsentSaysSoInItsOwnWords() {
        when(consents.findByState(STATE)).thenReturn(Optional.of(new SandboxConsents.Consent(STATE, INTENT_ID, null,
                "Acme", false, null, Instant.now(), false, true, false)));

        ResponseEntity<String> page = controller.callback(null, STATE, "Call 0800 now");

        assertPage(page, 200, "Consent not given");
        assertThat(page.getBody())
                .contains("<p id=\"outcome\">You did not give your consent (access_denied). Nothing was shared.</p>")
                .doesNotContain("0800").doesNotContain("id=\"code\"");
    }

    private static void assertPage(ResponseEntity<String> page, int status, String title) {
        assertThat(page.getStatusCode().value()).as(page.getBody()).isEqualTo(status);
        assertThat(page.getHeaders().getContentType()).hasToString("text/html;charset=UTF-8");
        assertThat(page.getBody()).startsWith("<!doctype html>")
                .contains("<html lang=\"en\">")
                .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .contains("<title>" + title + " - Sandbox Bank</title>")
                .contains("<main id=\"main\">")
                .contains("<h1>" + title + "</h1>")
                .doesNotContain("th:");
    }

    /** As Spring Boot configures Thymeleaf: templates/*.html on the class path, HTML mode. */
    private static SpringTemplateEngine templates() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        SpringTemplateEngine engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        return engine;
    }

    @Test
    void aConsentsValidityIsSaidInItsLargestWholeUnit() {
        assertThat(SandboxConsentController.lasting(Duration.ofDays(90))).isEqualTo("90 days");
        assertThat(SandboxConsentController.lasting(Duration.ofHours(36))).isEqualTo("36 hours");
        assertThat(SandboxConsentController.lasting(Duration.ofHours(24))).isEqualTo("1 day");
        assertThat(SandboxConsentController.lasting(Duration.ofMinutes(90))).isEqualTo("90 minutes");
        assertThat(SandboxConsentController.lasting(Duration.ofSeconds(5))).isEqualTo("1 minute");
    }
}
