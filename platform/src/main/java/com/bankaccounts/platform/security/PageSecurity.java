package com.bankaccounts.platform.security;

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
}
