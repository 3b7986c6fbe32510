package com.bankaccounts.command.connectionintent.sandbox;

import com.bankaccounts.platform.web.ErrorPages;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * Renders the sandbox bank's templates ({@code templates/sandbox/}), which escape what they show; an unknown page
 * under {@code /sandbox/} is one of them too.
 */
@Component
class SandboxPages implements ErrorPages {

    private final ITemplateEngine templates;

    SandboxPages(ITemplateEngine templates) {
        this.templates = templates;
    }

    ResponseEntity<String> page(HttpStatus status, String template, Map<String, ?> variables) {
        return ErrorPages.html(status).body(render(template, variables));
    }

    /** A page with a content security policy of its own, in place of the chain's. */
    ResponseEntity<String> page(HttpStatus status, String template, Map<String, ?> variables,
                                String contentSecurityPolicy) {
        return ErrorPages.html(status).header("Content-Security-Policy", contentSecurityPolicy)
                .body(render(template, variables));
    }

    ResponseEntity<String> message(HttpStatus status, String title, String message) {
        return page(status, "message", Map.of("title", title, "message", message));
    }

    /** For the security chain's refusals, which answer before any controller. */
    void write(HttpServletResponse response, HttpStatus status, String title, String message) throws IOException {
        ErrorPages.write(response, status, render("message", Map.of("title", title, "message", message)));
    }

    /** The same, with a link onward (a path of these pages). */
    void write(HttpServletResponse response, HttpStatus status, String title, String message, String link,
               String linkText) throws IOException {
        ErrorPages.write(response, status, render("message",
                Map.of("title", title, "message", message, "link", link, "linkText", linkText)));
    }

    @Override
    public boolean covers(String path) {
        return path.equals("/sandbox") || path.startsWith("/sandbox/");
    }

    @Override
    public String contentSecurityPolicy() {
        return SandboxSecurity.CONTENT_SECURITY_POLICY;
    }

    @Override
    public ResponseEntity<String> errorPage(HttpStatus status) {
        String restart = " Go back to the business that sent you here and start again.";
        Failure failure = Failure.of(status);
        return message(status, failure.title(), switch (failure) {
            case NOT_FOUND -> "Sandbox Bank has no such page." + restart;
            case NOT_ALLOWED -> "This page cannot be used that way." + restart;
            case CHANGED_MEANWHILE ->
                    "This consent changed while Sandbox Bank was answering. Open the link again to see where it stands.";
            case UNAVAILABLE -> "Sandbox Bank cannot answer right now. Try again in a moment.";
            case TOO_MANY -> "Sandbox Bank has had too many requests from here. Wait a minute, then try again.";
            case FAULT -> "Sandbox Bank could not finish this. Try again in a moment.";
            case REFUSED -> "Sandbox Bank cannot answer this request." + restart;
        });
    }

    private String render(String template, Map<String, ?> variables) {
        Context page = new Context();
        variables.forEach(page::setVariable);
        return templates.process("sandbox/" + template, page);
    }
}
