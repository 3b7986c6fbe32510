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
import org.springframework.security.web.csrf.CsrfException;

/**
 * The sandbox bank's pages have a chain of their own, ahead of the API's: a session (made only when a form is
 * shown) holds the signed-in user and the CSRF token; a cross-site {@code Origin} is refused; the pages load only
 * their own stylesheet, send their forms only to this server (but for the consent page's, whose answer leads to the
 * business's redirect URI) and cannot be framed.
 */
@Configuration(proxyBeanMethods = false)
class SandboxSecurity {

    private static final String POLICY_BUT_FORMS =
            "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'";
    static final String CONTENT_SECURITY_POLICY = POLICY_BUT_FORMS + "; form-action 'self'";

    /**
     * The consent page's policy. Its form's answer redirects to the business's redirect URI, which may redirect again
     * anywhere (its API's host to its app's), and Chromium holds every redirect of a form to {@code form-action}: so
     * a consent page that leads to a redirect URI does not restrict where its form goes. Its form posts to this
     * server; the templates escape what they show, so no other form can be put in the page.
     */
    static String consentPagePolicy(String redirectUri) {
        return redirectUri == null ? CONTENT_SECURITY_POLICY : POLICY_BUT_FORMS;
    }

    @Bean
    @Order(1)
    SecurityFilterChain sandboxPagesChain(HttpSecurity http, SandboxPages pages) {
        AccessDeniedHandler refused = (request, response, denied) -> {
            String state = request.getParameter("state");
            if (denied instanceof CsrfException && "POST".equals(request.getMethod())
                    && request.getParameter("_csrf") != null && state != null && !state.isBlank()) {
                // A form of ours whose session ended (the page was open too long, or the server restarted): the
                // link may still be good, so the user is led back to it rather than sent away.
                pages.write(response, HttpStatus.FORBIDDEN, "Session ended", "This page was open too long, so its "
                                + "form has expired and nothing was decided. Open the consent again to continue.",
                        SandboxProvider.consentPath(state),
                        "Open the consent again");
                return;
            }
            pages.write(response, HttpStatus.FORBIDDEN, "Request refused", "This form did not come from this page, "
                    + "or it has expired. Go back to the business that sent you here and start again.");
        };
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
