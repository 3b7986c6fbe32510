package com.bankaccounts.app.admin;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.ratelimit.RateLimits;
import com.bankaccounts.platform.security.AdminKey;
import com.bankaccounts.platform.security.ApiKeyAuthentication;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.security.PageSecurity;
import com.bankaccounts.platform.web.ErrorResponses;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

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
                                          ErrorResponses errors) {
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
        AccessDeniedHandler refused = (request, response, denied) ->
                response.sendError(403, "This form did not come from this console, or it has expired.");
        return PageSecurity.protectPages(http, CONTENT_SECURITY_POLICY, refused)
                .securityMatcher("/admin", "/admin/**")
                .authenticationProvider(adminKeyOnly)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/admin/login", "/admin/admin.css").permitAll()
                        .anyRequest().hasRole(ApiKeyAuthentication.ADMIN_ROLE))
                .formLogin(form -> form.loginPage("/admin/login").passwordParameter("key")
                        .defaultSuccessUrl("/admin", true)
                        .failureHandler((request, response, wrongKey) -> {
                            if (rateLimits.tryAuthenticationFailure(request.getRemoteAddr(), response)) {
                                response.sendRedirect(request.getContextPath() + "/admin/login?error");
                            } else {
                                errors.write(response, HttpStatus.TOO_MANY_REQUESTS, ErrorCode.RATE_LIMIT_EXCEEDED);
                            }
                        }))
                .logout(logout -> logout.logoutUrl("/admin/logout").logoutSuccessUrl("/admin/login?signed-out"))
                .build();
    }
}
