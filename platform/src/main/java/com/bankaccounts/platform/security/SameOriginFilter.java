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
 * For the pages' forms, besides the CSRF token: a request that changes something must come from this site. A browser
 * says so in {@code Sec-Fetch-Site} ({@code same-origin}); one that does not send it is judged by its {@code Origin},
 * which must be this server's own. ({@code Origin} alone will not do: with {@code Referrer-Policy: no-referrer}
 * Chromium sends {@code Origin: null} even for the page's own form.) A request with neither header comes from a
 * client that is not a browser, and the CSRF token decides.
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
        if (SAFE_METHODS.contains(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        String origin = request.getHeader("Origin");
        boolean sameOrigin = site != null ? site.equals("same-origin")
                : origin == null || origin.equals(ownOrigin(request));
        if (sameOrigin) {
            chain.doFilter(request, response);
            return;
        }
        refused.handle(request, response, new AccessDeniedException("cross-site request from " + (site != null ? site : origin)));
    }

    /** The origin the browser saw (behind a proxy, as the forwarded headers tell when they are trusted). */
    static String ownOrigin(HttpServletRequest request) {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
    }
}
