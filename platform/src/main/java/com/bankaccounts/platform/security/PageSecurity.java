package com.bankaccounts.platform.security;

import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * What every chain of browser pages shares (the sandbox bank, the admin console): forms only from the page's own
 * origin, refusals through the page's handler, no framing, no referrer, the page's own content security policy.
 */
public final class PageSecurity {

    private PageSecurity() {
    }

    public static HttpSecurity protectPages(HttpSecurity http, String contentSecurityPolicy,
                                            AccessDeniedHandler refused) {
        return http
                .addFilterBefore(new SameOriginFilter(refused), CsrfFilter.class)
                .exceptionHandling(exceptions -> exceptions.accessDeniedHandler(refused))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                        .frameOptions(frames -> frames.deny()));
    }

    /** The headers above, for a page answered outside its chain (an error Tomcat dispatches to {@code /error}). */
    public static HttpHeaders headers(String contentSecurityPolicy) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("Content-Security-Policy", contentSecurityPolicy);
        headers.set("Referrer-Policy", ReferrerPolicy.NO_REFERRER.getPolicy());
        headers.set("X-Frame-Options", "DENY");
        return headers;
    }
}
