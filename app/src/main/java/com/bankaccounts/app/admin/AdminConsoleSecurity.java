package com.bankaccounts.app.admin;

import com.bankaccounts.platform.ratelimit.RateLimits;
import com.bankaccounts.platform.security.AdminKey;
import com.bankaccounts.platform.security.ApiKeyAuthentication;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.security.PageSecurity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.DelegatingAccessDeniedHandler;
import org.springframework.security.web.csrf.MissingCsrfTokenException;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.session.InvalidSessionStrategy;

/**
 * The admin console's own chain: a form that takes the admin key (an account's API key cannot sign in), then a
 * session (cookie HttpOnly, SameSite=Strict, Secure behind https: see application.yml); CSRF tokens on every form,
 * a cross-site request refused, the same headers as the sandbox bank's pages. The principal is the admin
 * {@link Caller}, so what the console does is recorded as {@code crn::api-key:admin}, as through the API. A wrong key
 * counts against its address's budget of refusals, as a 401 of the API does, and an address past it gets 429 here
 * too whatever key it sends (the address filter covers the sign-in), so the form is no way around the API's limit.
 */
@Configuration(proxyBeanMethods = false)
class AdminConsoleSecurity {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; "
            + "object-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    @Order(2)
    SecurityFilterChain adminConsoleChain(HttpSecurity http, AdminKey adminKey, RateLimits rateLimits,
                                          AdminPages pages) {
        AuthenticationProvider adminKeyOnly = new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                Object presented = authentication.getCredentials();
                if (presented instanceof String key && adminKey.matches(key)) {
                    return ApiKeyAuthentication.of(Caller.platformAdmin());
                }
                throw new BadCredentialsException("not the admin key");
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
            }
        };
        // The page a console's address asked for before signing in, asked for again once signed in.
        HttpSessionRequestCache pagesAskedFor = new HttpSessionRequestCache();
        pagesAskedFor.setRequestMatcher(request -> HttpMethod.GET.matches(request.getMethod()));
        AccessDeniedHandler refused = (request, response, denied) -> pages.write(response, HttpStatus.FORBIDDEN,
                "Request refused", "This form did not come from this console, or it has expired. Nothing was "
                        + "changed.", AdminPages.pageOf(request), "Back to the page");
        // A form sent without a session (it ended, or its cookie is gone) has no CSRF token to match: sign in again
        // and return to the page the form was on; signing out is then done already.
        InvalidSessionStrategy signInAgain = (request, response) -> {
            if (request.getRequestURI().equals("/admin/logout")) {
                response.sendRedirect("/admin/login?signed-out");
                return;
            }
            pagesAskedFor.saveRequest(new PageRequest(request, AdminPages.pageOf(request)), response);
            response.sendRedirect("/admin/login?expired");
        };
        // Only a session that existed and ended: a form with no session cookie at all (the cookie is SameSite=Strict,
        // so a form sent from another site) is refused, not told the session ended or that it signed out.
        AccessDeniedHandler sessionEnded = (request, response, denied) -> {
            if (request.getRequestedSessionId() != null && !request.isRequestedSessionIdValid()) {
                signInAgain.onInvalidSessionDetected(request, response);
            } else {
                refused.handle(request, response, denied);
            }
        };
        LinkedHashMap<Class<? extends AccessDeniedException>, AccessDeniedHandler> bySession = new LinkedHashMap<>();
        bySession.put(MissingCsrfTokenException.class, sessionEnded);
        return PageSecurity.protectPages(http, CONTENT_SECURITY_POLICY,
                        new DelegatingAccessDeniedHandler(bySession, refused))
                .securityMatcher("/admin", "/admin/**")
                .requestCache(cache -> cache.requestCache(pagesAskedFor))
                .authenticationProvider(adminKeyOnly)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/admin/login", "/admin/admin.css").permitAll()
                        .anyRequest().hasRole(ApiKeyAuthentication.ADMIN_ROLE))
                .formLogin(form -> form.loginPage("/admin/login").passwordParameter("key")
                        .defaultSuccessUrl("/admin")
                        .failureHandler((request, response, wrongKey) -> {
                            if (rateLimits.tryAuthenticationFailure(request.getRemoteAddr(), response)) {
                                response.sendRedirect(request.getContextPath() + "/admin/login?error");
                            } else {
                                pages.writeErrorPage(response, HttpStatus.TOO_MANY_REQUESTS);
                            }
                        }))
                .logout(logout -> logout.logoutUrl("/admin/logout").logoutSuccessUrl("/admin/login?signed-out"))
                .build();
    }

    /** The page a form was sent from, as the GET that shows it: what the request cache keeps for after signing in. */
    private static final class PageRequest extends HttpServletRequestWrapper {

        private final String page;

        PageRequest(HttpServletRequest form, String page) {
            super(form);
            this.page = page;
        }

        @Override
        public String getMethod() {
            return HttpMethod.GET.name();
        }

        @Override
        public String getRequestURI() {
            return getContextPath() + page;
        }

        @Override
        public StringBuffer getRequestURL() {
            StringBuffer url = new StringBuffer(super.getRequestURL());
            return url.replace(url.length() - super.getRequestURI().length(), url.length(), getRequestURI());
        }

        @Override
        public String getServletPath() {
            return page;
        }

        @Override
        public String getPathInfo() {
            return null;
        }

        @Override
        public String getQueryString() {
            return null;
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return Map.of();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public String getParameter(String name) {
            return null;
        }

        @Override
        public String[] getParameterValues(String name) {
            return null;
        }
    }
}
