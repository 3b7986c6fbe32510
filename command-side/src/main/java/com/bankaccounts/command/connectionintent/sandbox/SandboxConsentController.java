package com.bankaccounts.command.connectionintent.sandbox;

import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderAccount;
import com.bankaccounts.command.connectionintent.provider.Pkce;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The sandbox bank's pages (no API key: the end user sees them): the consent page that a test intent's
 * {@code authorizationUrl} opens, with Approve and Deny; and, for intents without a redirect URI, a page that shows
 * the code.
 */
@RestController
public class SandboxConsentController {

    private final SandboxConsents consents;

    SandboxConsentController(SandboxConsents consents) {
        this.consents = consents;
    }

    @GetMapping(path = "/sandbox/consent", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> consentPage(@RequestParam(required = false) String state) {
        Optional<SandboxConsents.Consent> consent = state == null ? Optional.empty() : consents.findByState(state);
        if (consent.isEmpty()) {
            return page(HttpStatus.NOT_FOUND, "Unknown consent", "<p>This consent link is not valid.</p>");
        }
        StringBuilder accounts = new StringBuilder("<ul>");
        for (ProviderAccount account : SandboxAccounts.forIntent(consent.get().connectionIntentId())) {
            accounts.append("<li>").append(HtmlUtils.htmlEscape(account.name())).append(" <code>")
                    .append(HtmlUtils.htmlEscape(account.accountNumber())).append("</code></li>");
        }
        accounts.append("</ul>");
        String escapedState = HtmlUtils.htmlEscape(state);
        String body = "<p>Centrapay asks to connect these accounts of the Sandbox Bank:</p>" + accounts
                + "<form method=\"post\" action=\"/sandbox/consent\">"
                + "<input type=\"hidden\" name=\"state\" value=\"" + escapedState + "\">"
                + "<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button> "
                + "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>";
        return page(HttpStatus.OK, "Sandbox Bank: connect your accounts", body);
    }

    @PostMapping(path = "/sandbox/consent", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> decide(@RequestParam(required = false) String state,
                                         @RequestParam(required = false) String decision) {
        Optional<SandboxConsents.Consent> consent = state == null ? Optional.empty() : consents.findByState(state);
        if (consent.isEmpty() || !("approve".equals(decision) || "deny".equals(decision))) {
            return page(HttpStatus.BAD_REQUEST, "Invalid request", "<p>Unknown consent or decision.</p>");
        }
        String redirectUri = consent.get().redirectUri();
        if ("deny".equals(decision)) {
            return redirect(redirectUri, "error=access_denied&state=" + encode(state));
        }
        String code = Pkce.randomToken();
        if (!consents.issueCode(state, code)) {
            return page(HttpStatus.CONFLICT, "Already decided", "<p>This consent has already been given.</p>");
        }
        return redirect(redirectUri, "code=" + encode(code) + "&state=" + encode(state));
    }

    @GetMapping(path = "/sandbox/callback", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> callback(@RequestParam(required = false) String code,
                                           @RequestParam(required = false) String state,
                                           @RequestParam(required = false) String error) {
        if (code == null) {
            return page(HttpStatus.OK, "Consent not given",
                    "<p>The consent was not given (" + HtmlUtils.htmlEscape(String.valueOf(error)) + ").</p>");
        }
        return page(HttpStatus.OK, "Consent given",
                "<p>Authorize the connection intent with this code:</p><p><code id=\"code\">"
                        + HtmlUtils.htmlEscape(code) + "</code></p><p>state: <code id=\"state\">"
                        + HtmlUtils.htmlEscape(String.valueOf(state)) + "</code></p>");
    }

    private static ResponseEntity<String> redirect(String redirectUri, String query) {
        String target = redirectUri == null ? "/sandbox/callback" : redirectUri;
        String separator = target.contains("?") ? "&" : "?";
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .header(HttpHeaders.LOCATION, URI.create(target + separator + query).toString())
                .build();
    }

    private static ResponseEntity<String> page(HttpStatus status, String title, String body) {
        String escapedTitle = HtmlUtils.htmlEscape(title);
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .header("Content-Security-Policy", "default-src 'none'")
                .body("<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escapedTitle
                        + "</title></head><body><h1>" + escapedTitle + "</h1>" + body + "</body></html>");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
