package com.bankaccounts.app.admin;

import com.bankaccounts.platform.web.ErrorPages;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * The console's message page ({@code templates/admin/message.html}), for what answers outside its controller: a
 * path or approval it does not have, and the security chain's refusals. Each names a page to go back to.
 */
@Component
class AdminPages implements ErrorPages {

    /** A review's or a rebuild's form, and the page it is on. */
    private static final Pattern FORM = Pattern.compile("^(/admin/approvals/[^/]+)/(accept|decline|complete)$"
            + "|^(/admin/projections)/[^/]+/rebuild$");

    private static final String HOME = "/admin";
    private static final String BACK_HOME = "Back to the approvals";

    private final ITemplateEngine templates;

    AdminPages(ITemplateEngine templates) {
        this.templates = templates;
    }

    @Override
    public boolean covers(String path) {
        return path.equals("/admin") || path.startsWith("/admin/");
    }

    @Override
    public String contentSecurityPolicy() {
        return AdminConsoleSecurity.CONTENT_SECURITY_POLICY;
    }

    @Override
    public ResponseEntity<String> errorPage(HttpStatus status) {
        Failure failure = Failure.of(status);
        return ErrorPages.html(status).body(render(failure.title(), switch (failure) {
            case NOT_FOUND -> "The console has no such page, or no such approval.";
            case NOT_ALLOWED -> "This address of the console cannot be used that way.";
            case CHANGED_MEANWHILE -> "Someone changed this at the same time. Open it again to see where it stands.";
            case UNAVAILABLE -> "The console cannot answer right now. Try again in a moment.";
            case TOO_MANY -> "Too many keys that were not the admin key came from this address. Wait a minute, "
                    + "then sign in again.";
            case FAULT -> "The console could not finish this. Try again in a moment.";
            case REFUSED -> "The console cannot answer this request.";
        }, HOME, BACK_HOME));
    }

    /** For the security chain's refusals, which answer before any controller. */
    void write(HttpServletResponse response, HttpStatus status, String title, String message, String back,
               String backText) throws IOException {
        ErrorPages.write(response, status, render(title, message, back, backText));
    }

    /** The page a form was sent from (its address less the action), or the approvals for anything else. */
    static String pageOf(HttpServletRequest request) {
        Matcher form = FORM.matcher(request.getRequestURI());
        if (!form.matches()) {
            return HOME;
        }
        return form.group(1) != null ? form.group(1) : form.group(3);
    }

    private String render(String title, String message, String back, String backText) {
        Context page = new Context();
        page.setVariables(Map.of("title", title, "message", message, "back", back, "backText", backText));
        return templates.process("admin/message", page);
    }
}
