package com.bankaccounts.command.connectionintent.sandbox;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/** Renders the sandbox bank's templates ({@code templates/sandbox/}), which escape what they show. */
@Component
class SandboxPages {

    private final ITemplateEngine templates;

    SandboxPages(ITemplateEngine templates) {
        this.templates = templates;
    }

    ResponseEntity<String> page(HttpStatus status, String template, Map<String, ?> variables) {
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .body(render(template, variables));
    }

    ResponseEntity<String> message(HttpStatus status, String title, String message) {
        return page(status, "message", Map.of("title", title, "message", message));
    }

    /** For the security chain's refusals, which answer before any controller. */
    void write(HttpServletResponse response, HttpStatus status, String title, String message) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.TEXT_HTML_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(render("message", Map.of("title", title, "message", message)));
    }

    private String render(String template, Map<String, ?> variables) {
        Context page = new Context();
        variables.forEach(page::setVariable);
        return templates.process("sandbox/" + template, page);
    }
}
