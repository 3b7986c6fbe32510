package com.bankaccounts.command.connectionintent.sandbox;

import com.bankaccounts.command.connectionintent.provider.Pkce;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * The sandbox bank's pages (no API key: the end user sees them): the consent page that a test intent's
 * {@code authorizationUrl} opens, with Approve and Deny; and, for intents without a redirect URI, a page that shows
 * the code. The pages are Thymeleaf templates under {@code templates/sandbox/}, which escape what they show.
 */
@RestController
public class SandboxConsentController {

    private final SandboxConsents consents;
    private final ITemplateEngine templates;

    SandboxConsentController(SandboxConsents consents, ITemplateEngine templates) {
        this.consents = consents;
        this.templates = templates;
    }

    @GetMapping(path = "/sandbox/consent", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> consentPage(@RequestParam(required = false) String state) {
        Optional<SandboxConsents.Consent> consent = state == null ? Optional.empty() : consents.findByState(state);
        if (consent.isEmpty()) {
            return message(HttpStatus.NOT_FOUND, "Unknown consent", "This consent link is not valid.");
        }
        return page(HttpStatus.OK, "consent", Map.of("state", state,
                "accounts", SandboxAccounts.forIntent(consent.get().connectionIntentId())));
    }

    @PostMapping(path = "/sandbox/consent", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> decide(@RequestParam(required = false) String state,
                                         @RequestParam(required = false) String decision) {
        Optional<SandboxConsents.Consent> consent = state == null ? Optional.empty() : consents.findByState(state);
        if (consent.isEmpty() || !("approve".equals(decision) || "deny".equals(decision))) {
            return message(HttpStatus.BAD_REQUEST, "Invalid request", "Unknown consent or decision.");
        }
        String redirectUri = consent.get().redirectUri();
        if ("deny".equals(decision)) {
            return redirect(redirectUri, "error=access_denied&state=" + encode(state));
        }
        String code = Pkce.randomToken();
        if (!consents.issueCode(state, code)) {
            return message(HttpStatus.CONFLICT, "Already decided", "This consent has already been given.");
        }
        return redirect(redirectUri, "code=" + encode(code) + "&state=" + encode(state));
    }

    @GetMapping(path = "/sandbox/callback", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> callback(@RequestParam(required = false) String code,
                                           @RequestParam(required = false) String state,
                                           @RequestParam(required = false) String error) {
        Context page = new Context();
        page.setVariable("code", code);
        page.setVariable("state", String.valueOf(state));
        page.setVariable("error", String.valueOf(error));
        return render(HttpStatus.OK, "callback", page);
    }

    private static ResponseEntity<String> redirect(String redirectUri, String query) {
        String target = redirectUri == null ? "/sandbox/callback" : redirectUri;
        String separator = target.contains("?") ? "&" : "?";
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .header(HttpHeaders.LOCATION, URI.create(target + separator + query).toString())
                .build();
    }

    private ResponseEntity<String> message(HttpStatus status, String title, String message) {
        return page(status, "message", Map.of("title", title, "message", message));
    }

    private ResponseEntity<String> page(HttpStatus status, String template, Map<String, Object> variables) {
        Context page = new Context();
        page.setVariables(variables);
        return render(status, template, page);
    }

    /** The pages load nothing, so they may load nothing: no script, style or frame can sneak in. */
    private ResponseEntity<String> render(HttpStatus status, String template, Context page) {
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .header("Content-Security-Policy", "default-src 'none'")
                .body(templates.process("sandbox/" + template, page));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
