package com.bankaccounts.command.connectionintent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderAccount;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/** The sandbox pages as the templates render them: statuses, headers, the markup the browser tests read, escaping. */
class SandboxConsentControllerTest {

    private static final String INTENT_ID = "3KVjuKW2CZCJeJVqPxwkX7";
    private static final String STATE = "st\"<a>&'e";

    private final SandboxConsents consents = mock(SandboxConsents.class);
    private final SandboxConsentController controller = new SandboxConsentController(consents, templates());

    @Test
    void theConsentPageShowsTheAccountsAndAsksToApproveOrDeny() {
        when(consents.findByState(STATE)).thenReturn(Optional.of(new SandboxConsents.Consent(STATE, INTENT_ID, null)));

        ResponseEntity<String> page = controller.consentPage(STATE);

        assertPage(page, 200, "Sandbox Bank: connect your accounts");
        assertThat(page.getBody())
                .contains("<form method=\"post\" action=\"/sandbox/consent\">")
                .contains("<input type=\"hidden\" name=\"state\" value=\"st&quot;&lt;a&gt;&amp;&#39;e\">")
                .contains("<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>")
                .contains("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>");
        for (ProviderAccount account : SandboxAccounts.forIntent(INTENT_ID)) {
            assertThat(page.getBody()).contains("<li>" + account.name() + " <code>" + account.accountNumber()
                    + "</code></li>");
        }
    }

    @Test
    void anUnknownConsentIsNotFound() {
        when(consents.findByState(anyString())).thenReturn(Optional.empty());

        ResponseEntity<String> page = controller.consentPage("not-a-state");

        assertPage(page, 404, "Unknown consent");
        assertThat(page.getBody()).contains("<p>This consent link is not valid.</p>");
        assertPage(controller.consentPage(null), 404, "Unknown consent");
    }

    @Test
    void approvingRedirectsWithTheCodeAndDenyingWithTheError() {
        when(consents.findByState(STATE)).thenReturn(
                Optional.of(new SandboxConsents.Consent(STATE, INTENT_ID, "https://merchant.example/back?x=1")));
        when(consents.issueCode(eq(STATE), anyString())).thenReturn(true);

        ResponseEntity<String> approved = controller.decide(STATE, "approve");
        ResponseEntity<String> denied = controller.decide(STATE, "deny");

        assertThat(approved.getStatusCode().value()).isEqualTo(303);
        assertThat(approved.getHeaders().getFirst(HttpHeaders.LOCATION))
                .matches("https://merchant\\.example/back\\?x=1&code=[A-Za-z0-9_-]{43}&state=st%22%3Ca%3E%26%27e");
        assertThat(denied.getHeaders().getFirst(HttpHeaders.LOCATION))
                .isEqualTo("https://merchant.example/back?x=1&error=access_denied&state=st%22%3Ca%3E%26%27e");
    }

    @Test
    void aSecondDecisionOrAnUnknownOneIsRefusedWithAPage() {
        when(consents.findByState(STATE)).thenReturn(Optional.of(new SandboxConsents.Consent(STATE, INTENT_ID, null)));
        when(consents.issueCode(eq(STATE), anyString())).thenReturn(false);

        assertPage(controller.decide(STATE, "approve"), 409, "Already decided");
        assertPage(controller.decide(STATE, "maybe"), 400, "Invalid request");
    }

    @Test
    void theCallbackShowsTheCodeEscaped() {
        ResponseEntity<String> page = controller.callback("<b>code</b>", "s&t", null);

        assertPage(page, 200, "Consent given");
        assertThat(page.getBody()).contains("<code id=\"code\">&lt;b&gt;code&lt;/b&gt;</code>")
                .contains("<code id=\"state\">s&amp;t</code>");
    }

    @Test
    void theCallbackWithoutACodeShowsTheErrorEscaped() {
        ResponseEntity<String> page = controller.callback(null, null, "<access_denied>");

        assertPage(page, 200, "Consent not given");
        assertThat(page.getBody()).contains("<p>The consent was not given (&lt;access_denied&gt;).</p>")
                .doesNotContain("id=\"code\"");
    }

    private static void assertPage(ResponseEntity<String> page, int status, String title) {
        assertThat(page.getStatusCode().value()).isEqualTo(status);
        assertThat(page.getHeaders().getContentType()).hasToString("text/html;charset=UTF-8");
        assertThat(page.getHeaders().getFirst("Content-Security-Policy")).isEqualTo("default-src 'none'");
        assertThat(page.getBody()).startsWith("<!doctype html>")
                .contains("<title>" + title + "</title>")
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
}
