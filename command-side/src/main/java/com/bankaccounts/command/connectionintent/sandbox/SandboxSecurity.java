package com.bankaccounts.command.connectionintent.sandbox;

import com.bankaccounts.platform.security.PageSecurity;
import java.net.URI;
import java.util.regex.Pattern;
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
 * their own stylesheet, send their forms only to this server (and the consent page's to the redirect URI it leads
 * to) and cannot be framed.
 */
@Configuration(proxyBeanMethods = false)
class SandboxSecurity {

    static final String CONTENT_SECURITY_POLICY = policy("'self'");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.-]+");

    private static String policy(String formActions) {
        return "default-src 'none'; style-src 'self'; img-src 'self'; form-action " + formActions
                + "; base-uri 'none'; frame-ancestors 'none'";
    }

    /**
     * The consent page's policy. Its form's answer redirects to the business's redirect URI, and Chromium holds a
     * form's redirects to {@code form-action} too, so that URI's origin is allowed beside this server's. A loopback
     * IPv6 address cannot be written as a CSP host, so there only its scheme is named.
     */
    static String consentPagePolicy(String redirectUri) {
        if (redirectUri == null) {
            return CONTENT_SECURITY_POLICY;
        }
        URI target = URI.create(redirectUri);
        String host = target.getHost();
        String source = host != null && HOST_NAME.matcher(host).matches()
                ? target.getScheme() + "://" + host + (target.getPort() == -1 ? "" : ":" + target.getPort())
                : target.getScheme() + ":";
        return policy("'self' " + source);
    }

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
