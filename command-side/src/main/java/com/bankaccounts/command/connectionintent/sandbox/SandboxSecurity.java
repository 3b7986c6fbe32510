package com.bankaccounts.command.connectionintent.sandbox;

import com.bankaccounts.platform.security.PageSecurity;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The sandbox bank's pages have a chain of their own, ahead of the API's: a session (made only when a form is
 * shown) holds the signed-in user and the CSRF token; a cross-site {@code Origin} is refused; the pages load only
 * their own stylesheet and cannot be framed.
 */
@Configuration(proxyBeanMethods = false)
class SandboxSecurity {

    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'";

    @Bean
    @Order(1)
    SecurityFilterChain sandboxPagesChain(HttpSecurity http, SandboxPages pages) {
        AccessDeniedHandler refused = (request, response, denied) -> pages.write(response, HttpStatus.FORBIDDEN,
                "Request refused", "This form did not come from this page, or it has expired. "
                        + "Go back to the business that sent you here and start again.");
        return PageSecurity.protectPages(http, CONTENT_SECURITY_POLICY, refused)
                .securityMatcher("/sandbox/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .logout(AbstractHttpConfigurer::disable)
                // Its pages keep what they need in their own links (the consent's state).
                .requestCache(AbstractHttpConfigurer::disable)
                .build();
    }
}
