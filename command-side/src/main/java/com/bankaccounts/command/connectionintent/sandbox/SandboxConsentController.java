package com.bankaccounts.command.connectionintent.sandbox;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.connectionintent.DeclineConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.command.connectionintent.provider.Pkce;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.WebUtils;

/**
 * The sandbox bank's pages (no API key: the end user sees them). A test intent's {@code authorizationUrl} opens the
 * sign-in step (demo credentials {@value #USERNAME} / {@value #PASSWORD}, as in Plaid's sandbox), then the consent
 * page naming the business and what it will share or the payment terms, with Approve and Deny; for intents without
 * a redirect URI, a page that shows the outcome. Deny declines the intent at once (an event), as a bank's refusal
 * would; a link decided, declined or older than {@code app.consent-link-validity} shows a page saying so and cannot
 * be decided again. The signed-in user is kept in the session; the forms carry the session's CSRF token and
 * {@link SandboxSecurity} refuses a cross-site {@code Origin}.
 */
@RestController
public class SandboxConsentController {

    static final String USERNAME = "user_good";
    static final String PASSWORD = "pass_good";
    static final String SIGNED_IN = SandboxConsentController.class.getName() + ".user";
    /** Who declines on the sandbox bank's page, as the intent's history names it. */
    static final String PRINCIPAL = "crn::sandbox-bank";
    static final String ACCESS_DENIED = "access_denied";
    private static final DateTimeFormatter EXPIRY_FORMAT =
            DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final SandboxConsents consents;
    private final SandboxDebitAccounts debitAccounts;
    private final SandboxPages pages;
    private final CommandGateway commands;
    private final Duration linkValidity;
    private final Duration accountInformationValidity;

    SandboxConsentController(SandboxConsents consents, SandboxDebitAccounts debitAccounts, SandboxPages pages,
                             CommandGateway commands,
                             @Value("${app.consent-link-validity:30m}") Duration linkValidity,
                             @Value("${app.consents.account-information-validity:90d}")
                             Duration accountInformationValidity) {
        this.consents = consents;
        this.debitAccounts = debitAccounts;
        this.pages = pages;
        this.commands = commands;
        this.linkValidity = linkValidity;
        this.accountInformationValidity = accountInformationValidity;
    }

    @GetMapping(path = "/sandbox/consent", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> consentPage(@RequestParam(required = false) String state, HttpServletRequest request,
                                              CsrfToken csrf) {
        Optional<SandboxConsents.Consent> consent = find(state);
        Optional<ResponseEntity<String>> closed = closed(consent);
        if (closed.isPresent()) {
            return closed.get();
        }
        if (!signedIn(request)) {
            return signInPage(HttpStatus.OK, state, csrf, null, null);
        }
        return consentPage(consent.get(), csrf);
    }

    /**
     * The address a refused sign-in leaves in the address bar, opened again (reload, bookmark): back to the consent
     * link, which asks to sign in when needed.
     */
    @GetMapping(path = "/sandbox/sign-in", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> signInAgain(@RequestParam(required = false) String state) {
        Optional<ResponseEntity<String>> closed = closed(find(state));
        if (closed.isPresent()) {
            return closed.get();
        }
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .header(HttpHeaders.LOCATION, SandboxProvider.consentPath(state))
                .build();
    }

    @PostMapping(path = "/sandbox/sign-in", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> signIn(@RequestParam(required = false) String state,
                                         @RequestParam(required = false) String username,
                                         @RequestParam(required = false) String password,
                                         HttpServletRequest request, CsrfToken csrf) {
        Optional<SandboxConsents.Consent> consent = find(state);
        Optional<ResponseEntity<String>> closed = closed(consent);
        if (closed.isPresent()) {
            return closed.get();
        }
        if (!USERNAME.equals(username) || !PASSWORD.equals(password)) {
            return signInPage(HttpStatus.UNAUTHORIZED, state, csrf,
                    "That username and password do not match. Use the demo credentials shown below.", username);
        }
        request.getSession().setAttribute(SIGNED_IN, USERNAME);
        // A new session id once signed in, so that an id planted before cannot ride on the sign-in.
        request.changeSessionId();
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .header(HttpHeaders.LOCATION, SandboxProvider.consentPath(state))
                .build();
    }

    @PostMapping(path = "/sandbox/consent", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> decide(@RequestParam(required = false) String state,
                                         @RequestParam(required = false) String decision,
                                         HttpServletRequest request, CsrfToken csrf) {
        Optional<SandboxConsents.Consent> consent = find(state);
        if (consent.isEmpty() || !("approve".equals(decision) || "deny".equals(decision))) {
            return pages.message(HttpStatus.BAD_REQUEST, "Invalid request", "Unknown consent or decision.");
        }
        if (!signedIn(request)) {
            return closed(consent).orElseGet(() ->
                    signInPage(HttpStatus.UNAUTHORIZED, state, csrf, "Sign in to answer this consent.", null));
        }
        HttpSession session = request.getSession();
        if ("deny".equals(decision)) {
            // A session's Deny presses take turns, each seeing the consent as the one before left it: a second press
            // answers as the first did, never before the first's decline is recorded, and tries again if it was not.
            synchronized (WebUtils.getSessionMutex(session)) {
                return deny(state, session);
            }
        }
        Optional<ResponseEntity<String>> answered = answered(consent, decision, session);
        if (answered.isPresent()) {
            return answered.get();
        }
        String code = Decisions.of(session).codes.computeIfAbsent(state, ignored -> Pkce.randomToken());
        if (!consents.issueCode(state, code)) {
            return lostTheClaim(state, decision, session);
        }
        return approved(consent.get(), code);
    }

    private ResponseEntity<String> deny(String state, HttpSession session) {
        Optional<SandboxConsents.Consent> consent = find(state);
        Optional<ResponseEntity<String>> answered = answered(consent, "deny", session);
        if (answered.isPresent()) {
            return answered.get();
        }
        if (!consents.claimDecline(state)) {
            return lostTheClaim(state, "deny", session);
        }
        try {
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(new DeclineConnectionIntentCommand(
                            consent.get().connectionIntentId(), state, ACCESS_DENIED))
                    .andMetaData(Map.of(AxonJdbcConfiguration.PRINCIPAL, PRINCIPAL)));
        } catch (BusinessRuleException e) {
            // The intent ended meanwhile through the API (declined or failed): the link says how, not "given".
            consents.releaseDecline(state);
            return closed(find(state)).orElseGet(this::alreadyDecided);
        } catch (RuntimeException e) {
            consents.releaseDecline(state);
            throw e;
        }
        Decisions.of(session).denied.add(state);
        return denied(consent.get());
    }

    /** The answer to a press on a consent already decided: this session's first answer again, or the link's page. */
    private Optional<ResponseEntity<String>> answered(Optional<SandboxConsents.Consent> consent, String decision,
                                                      HttpSession session) {
        return consent.flatMap(open -> pressedAgain(open, decision, session)).or(() -> closed(consent));
    }

    /** A press that lost its claim to another: the link's answer as it is now. */
    private ResponseEntity<String> lostTheClaim(String state, String decision, HttpSession session) {
        return answered(find(state), decision, session).orElseGet(this::alreadyDecided);
    }

    /**
     * What this session pressed on each consent. A double click sends the form twice and the browser shows only the
     * second answer: pressing the same button again answers as the first press did (the same code, the same
     * redirect), where another session, or the other button, finds the consent already decided. Approve's code is
     * picked before it is issued, so that a second press arriving while the first is still running uses the same one;
     * a decline is marked once it is recorded (the session's Deny presses take turns).
     */
    static final class Decisions implements Serializable {

        private static final String ATTRIBUTE = SandboxConsentController.class.getName() + ".decisions";

        private final Map<String, String> codes = new ConcurrentHashMap<>();
        private final Set<String> denied = ConcurrentHashMap.newKeySet();

        static Decisions of(HttpSession session) {
            synchronized (WebUtils.getSessionMutex(session)) {
                Decisions decisions = (Decisions) session.getAttribute(ATTRIBUTE);
                if (decisions == null) {
                    decisions = new Decisions();
                    session.setAttribute(ATTRIBUTE, decisions);
                }
                return decisions;
            }
        }
    }

    /** The first answer again, when this session already decided the consent this way. */
    private Optional<ResponseEntity<String>> pressedAgain(SandboxConsents.Consent consent, String decision,
                                                          HttpSession session) {
        Decisions decisions = Decisions.of(session);
        if ("deny".equals(decision)) {
            return decisions.denied.contains(consent.state()) && consent.declined()
                    ? Optional.of(denied(consent)) : Optional.empty();
        }
        String code = decisions.codes.get(consent.state());
        return code != null && consent.decided() && !consent.intentFailed() && !consent.declined()
                && consents.issued(consent.state(), code)
                ? Optional.of(approved(consent, code)) : Optional.empty();
    }

    private static ResponseEntity<String> approved(SandboxConsents.Consent consent, String code) {
        return redirect(consent.redirectUri(), "code=" + encode(code) + "&state=" + encode(consent.state()));
    }

    private static ResponseEntity<String> denied(SandboxConsents.Consent consent) {
        return redirect(consent.redirectUri(), "error=" + ACCESS_DENIED + "&state=" + encode(consent.state()));
    }

    /**
     * The outcome page for an intent without a redirect URI. It shows only what this bank decided: a code it issued for
     * that state, or that the consent was declined; anything else in the link (text someone else wrote into it, to be
     * shown on this site) answers as an unknown consent.
     */
    @GetMapping(path = "/sandbox/callback", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> callback(@RequestParam(required = false) String code,
                                           @RequestParam(required = false) String state,
                                           @RequestParam(required = false) String error) {
        Optional<SandboxConsents.Consent> consent = find(state);
        boolean shown = code != null ? consent.isPresent() && consents.issued(state, code)
                : consent.isPresent() && consent.get().declined();
        if (!shown) {
            return pages.message(HttpStatus.NOT_FOUND, "Unknown consent",
                    "Sandbox Bank has no answer to show at this address. Go back to the business that sent you here "
                            + "and start again.");
        }
        // The code is void once the intent failed or the business withdrew it: the page says so, not "given".
        if (code != null && (consent.get().intentFailed() || consent.get().declined())) {
            return closed(consent).orElseGet(() -> connectionFailed(consent.get()));
        }
        Map<String, Object> variables = new HashMap<>();
        variables.put("code", code);
        variables.put("payment", consent.get().paymentConsent());
        return pages.page(HttpStatus.OK, "callback", variables);
    }

    private Optional<SandboxConsents.Consent> find(String state) {
        return state == null ? Optional.empty() : consents.findByState(state);
    }

    /** The page for a link that leads nowhere any more: unknown, already answered or expired. */
    private Optional<ResponseEntity<String>> closed(Optional<SandboxConsents.Consent> consent) {
        if (consent.isEmpty()) {
            return Optional.of(pages.message(HttpStatus.NOT_FOUND, "Unknown consent",
                    "This consent link is not valid. Go back to the business that sent you here and start again."));
        }
        if (consent.get().declined()) {
            // Declined on this page, or withdrawn by the business through the API: the words blame neither.
            return Optional.of(pages.message(HttpStatus.CONFLICT, "Consent declined",
                    "This consent was declined, so nothing was shared. To connect after all, go back to the "
                            + "business that sent you here and start again."));
        }
        if (consent.get().decided()) {
            return Optional.of(consent.get().intentFailed() ? connectionFailed(consent.get()) : alreadyDecided());
        }
        if (consent.get().intentFailed()) {
            return Optional.of(pages.message(HttpStatus.CONFLICT, "Request ended",
                    "The business's request for this consent has ended, so there is nothing to decide here. Go back "
                            + "to the business that sent you here and start again."));
        }
        PaymentConsentTerms terms = consent.get().paymentTerms();
        if (terms != null && terms.expiresAt() != null && !terms.expiresAt().isAfter(Instant.now())) {
            return Optional.of(pages.message(HttpStatus.GONE, "Consent ended",
                    "This payment consent has reached the end date the business set for it, so it can no longer be "
                            + "given. Go back to the business that sent you here and start again."));
        }
        if (consent.get().expired(Instant.now(), linkValidity)) {
            return Optional.of(pages.message(HttpStatus.GONE, "Link expired",
                    "This consent link has expired. Go back to the business that sent you here and start again."));
        }
        return Optional.empty();
    }

    /** Given, but the business's request failed after (it presented a code the bank refused): the consent is void. */
    private ResponseEntity<String> connectionFailed(SandboxConsents.Consent consent) {
        return pages.message(HttpStatus.CONFLICT, "Connection failed", consent.paymentConsent()
                ? "You gave your consent, but the business could not finish setting up its payments with it, so "
                        + "no payment can be taken. Go back to the business that sent you here and start again."
                : "You gave your consent, but the business could not finish connecting your accounts with it, so "
                        + "nothing was shared. Go back to the business that sent you here and start again.");
    }

    private ResponseEntity<String> alreadyDecided() {
        return pages.message(HttpStatus.CONFLICT, "Already decided",
                "This consent has already been given. There is nothing more to do here.");
    }

    /** {@code typed}: the username of a refused sign-in, shown again; its fields are then marked as refused. */
    private ResponseEntity<String> signInPage(HttpStatus status, String state, CsrfToken csrf, String error,
                                              String typed) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("state", state);
        variables.put("action", "/sandbox/sign-in?state=" + encode(state));
        variables.put("typed", typed);
        variables.put("csrf", csrf);
        variables.put("username", USERNAME);
        variables.put("password", PASSWORD);
        variables.put("error", error);
        return pages.page(status, "sign-in", variables);
    }

    private ResponseEntity<String> consentPage(SandboxConsents.Consent consent, CsrfToken csrf) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("state", consent.state());
        variables.put("csrf", csrf);
        variables.put("business", consent.businessName() == null ? "A business" : consent.businessName());
        variables.put("payment", consent.paymentConsent());
        variables.put("terms", consent.paymentTerms());
        variables.put("amount", consent.paymentTerms() == null || consent.paymentTerms().totalAmount() == null
                ? null : dollars(consent.paymentTerms().totalAmount()));
        variables.put("period", consent.paymentTerms() == null || consent.paymentTerms().period() == null
                ? null : switch (consent.paymentTerms().period()) {
                    case DAILY -> "day";
                    case WEEKLY -> "week";
                    case FORTNIGHTLY -> "fortnight";
                    case MONTHLY -> "month";
                    case YEARLY -> "year";
                });
        variables.put("expiresAt", consent.paymentTerms() == null || consent.paymentTerms().expiresAt() == null
                ? null : EXPIRY_FORMAT.format(consent.paymentTerms().expiresAt()));
        variables.put("debit", consent.paymentConsent()
                ? debitAccounts.forIntent(consent.connectionIntentId()).orElse(null) : null);
        variables.put("accounts", SandboxAccounts.forIntent(consent.connectionIntentId()));
        variables.put("validity", lasting(accountInformationValidity));
        return pages.page(HttpStatus.OK, "consent", variables,
                SandboxSecurity.consentPagePolicy(consent.redirectUri()));
    }

    /** How long an account-information consent lasts, in the largest whole unit: "90 days", "36 hours". */
    static String lasting(Duration validity) {
        long minutes = Math.max(1, validity.toMinutes());
        long amount = minutes % (24 * 60) == 0 ? minutes / (24 * 60) : minutes % 60 == 0 ? minutes / 60 : minutes;
        String unit = minutes % (24 * 60) == 0 ? "day" : minutes % 60 == 0 ? "hour" : "minute";
        return amount + " " + unit + (amount == 1 ? "" : "s");
    }

    private static boolean signedIn(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null && USERNAME.equals(session.getAttribute(SIGNED_IN));
    }

    private static String dollars(long cents) {
        // Not the server's locale: "$1.234.567.00" under de_DE.
        return String.format(Locale.ROOT, "$%,d.%02d", cents / 100, cents % 100);
    }

    private static ResponseEntity<String> redirect(String redirectUri, String query) {
        String target = redirectUri == null ? "/sandbox/callback" : redirectUri;
        String separator = target.contains("?") ? "&" : "?";
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .header(HttpHeaders.LOCATION, URI.create(target + separator + query).toString())
                .build();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
