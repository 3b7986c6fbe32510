package com.bankaccounts.platform.web;

import com.bankaccounts.platform.security.PageSecurity;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriUtils;
import org.springframework.web.util.UrlPathHelper;

/**
 * A set of browser pages (the sandbox bank's, the admin console's) that answers a path or method it does not have,
 * or a thing it cannot find, with a page in its own look and a way back, where the API answers in its error format.
 */
public interface ErrorPages {

    MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    /** Whether a request for {@code path} (decoded, as Tomcat maps it) is for one of these pages. */
    boolean covers(String path);

    /**
     * The page for a failure answered outside the pages' own controllers: a path or method they do not have (404,
     * 405), a change that met another (409), a fault (5xx), or another refusal.
     */
    ResponseEntity<String> errorPage(HttpStatus status);

    /** What a failure answered outside the pages' controllers is, by its status, and the title of its page. */
    enum Failure {
        NOT_FOUND("Page not found"),
        NOT_ALLOWED("Not available"),
        CHANGED_MEANWHILE("Changed meanwhile"),
        UNAVAILABLE("Unavailable"),
        TOO_MANY("Too many attempts"),
        FAULT("Something went wrong"),
        REFUSED("Invalid request");

        private final String title;

        Failure(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }

        public static Failure of(HttpStatus status) {
            return switch (status) {
                case NOT_FOUND -> NOT_FOUND;
                case METHOD_NOT_ALLOWED -> NOT_ALLOWED;
                case CONFLICT -> CHANGED_MEANWHILE;
                case SERVICE_UNAVAILABLE -> UNAVAILABLE;
                case TOO_MANY_REQUESTS -> TOO_MANY;
                default -> status.is5xxServerError() ? FAULT : REFUSED;
            };
        }
    }

    /** The policy these pages' security chain gives them: for a page answered outside the chain. */
    String contentSecurityPolicy();

    /**
     * The set of pages a request for {@code requestUri} (as sent) is for; none for the API and everything else. The
     * path is read as Tomcat maps it: without path parameters, decoded, dot segments resolved.
     */
    static Optional<ErrorPages> covering(List<ErrorPages> sets, String requestUri) {
        String path = mappedPath(requestUri);
        return sets.stream().filter(set -> set.covers(path)).findFirst();
    }

    private static String mappedPath(String requestUri) {
        try {
            return StringUtils.cleanPath(UriUtils.decode(
                    UrlPathHelper.defaultInstance.removeSemicolonContent(requestUri), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException undecodable) {
            // Tomcat refuses such a path before anything maps it; as sent, it matches no page.
            return requestUri;
        }
    }

    /** An answer with a page, in UTF-8. */
    static ResponseEntity.BodyBuilder html(HttpStatus status) {
        return ResponseEntity.status(status).contentType(HTML);
    }

    /**
     * {@link #errorPage} written straight to the response with the headers these pages' chain gives them: for a
     * filter's refusal, which answers before that chain.
     */
    default void writeErrorPage(HttpServletResponse response, HttpStatus status) throws IOException {
        PageSecurity.headers(contentSecurityPolicy())
                .forEach((name, values) -> values.forEach(value -> response.setHeader(name, value)));
        ErrorResponses.noStoreNoSniff(response);
        write(response, status, errorPage(status).getBody());
    }

    /** A page written straight to the response: for a security chain's refusal, which answers before any controller. */
    static void write(HttpServletResponse response, HttpStatus status, String page) throws IOException {
        response.setStatus(status.value());
        response.setContentType(HTML.toString());
        response.getWriter().write(page);
    }
}
