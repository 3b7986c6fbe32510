package com.bankaccounts.platform.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * For the pages' forms, besides the CSRF token: a request that changes something and names an {@code Origin} other
 * than this server's own (or {@code null}, as an opaque origin sends) is refused. A request without an
 * {@code Origin} header comes from a client that is not a browser, and the CSRF token decides.
 */
public class SameOriginFilter extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final AccessDeniedHandler refused;

    public SameOriginFilter(AccessDeniedHandler refused) {
        this.refused = refused;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader("Origin");
        if (SAFE_METHODS.contains(request.getMethod()) || origin == null || origin.equals(ownOrigin(request))) {
            chain.doFilter(request, response);
            return;
        }
        refused.handle(request, response, new AccessDeniedException("cross-site Origin " + origin));
    }

    /** The origin the browser saw (behind a proxy, as the forwarded headers tell when they are trusted). */
    static String ownOrigin(HttpServletRequest request) {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
    }
}
