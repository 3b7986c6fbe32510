package com.bankaccounts.platform.security;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.ratelimit.AccountRateLimitFilter;
import com.bankaccounts.platform.ratelimit.RateLimits;
import com.bankaccounts.platform.web.ErrorResponses;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what, in one place. {@code /api/**} is authenticated by the {@code x-api-key} header (one
 * {@link AuthenticationFilter}, the {@link Caller} as principal); admin-only endpoints are listed here and nowhere
 * else; ownership of a resource is {@link Caller#canAccess}. The sandbox bank's pages, health (its details for the
 * admin key only) and the error page are open; {@code /actuator/prometheus} needs the admin key (or none on a
 * management port of its own); everything else (the other actuator endpoints included) answers as an unknown path
 * does, 404.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    public static final String URL_REFUSED = "request URL is not allowed";
    public static final String HEADER_REFUSED = "a request header is not allowed: its name or value holds a control"
            + " character (UTF-8 text such as Cyrillic reads as one)";

    private static final RequestMatcher API = pathPattern("/api/**");
    /** Where a key is read: the API, and the actuator (health details and metrics are for the admin key). */
    private static final RequestMatcher PROMETHEUS = pathPattern("/actuator/prometheus");
    private static final RequestMatcher KEYED = new OrRequestMatcher(API, pathPattern("/actuator/**"));

    @Bean
    public SecurityFilterChain apiKeySecurity(HttpSecurity http, ApiKeyAuthenticationProvider apiKeys,
                                              ErrorResponses errors, Environment environment, RateLimits rateLimits) {
        ApiKeyEntryPoint apiKeyEntryPoint = new ApiKeyEntryPoint(errors, rateLimits);
        AuthenticationFilter authentication =
                new AuthenticationFilter(new ProviderManager(apiKeys), new ApiKeyAuthenticationConverter());
        authentication.setRequestMatcher(KEYED);
        // The default would redirect; an API request goes straight on to its endpoint.
        authentication.setSuccessHandler((request, response, caller) -> {
        });
        authentication.setFailureHandler(new AuthenticationEntryPointFailureHandler(apiKeyEntryPoint));
        // Kept for the request's other dispatches (errors, async), never in a session.
        authentication.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());

        return http
                .addFilterAt(authentication, BasicAuthenticationFilter.class)
                // Every authenticated API request counts against its account's limit, refused ones included.
                .addFilterAfter(new AccountRateLimitFilter(rateLimits, errors), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        // On a management port of its own (kept off the public network) a scraper needs no key.
                        .requestMatchers(onManagementPort(environment, PROMETHEUS))
                        .permitAll()
                        .requestMatchers(servedHere(environment, PROMETHEUS)).hasRole(ApiKeyAuthentication.ADMIN_ROLE)
                        .requestMatchers("/actuator/**").denyAll()
                        .requestMatchers(HttpMethod.POST, "/api/accounts", "/api/funds-transfers/*/settle",
                                "/api/bank-account-approvals/*/accept", "/api/bank-account-approvals/*/decline",
                                "/api/bank-account-approvals/*/complete").hasRole(ApiKeyAuthentication.ADMIN_ROLE)
                        .requestMatchers("/api/admin/**").hasRole(ApiKeyAuthentication.ADMIN_ROLE)
                        .requestMatchers(API).authenticated()
                        .requestMatchers("/sandbox/**", "/error").permitAll()
                        // The OpenAPI document and Swagger UI: public, outside the key filter (a key is ignored).
                        .requestMatchers("/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html",
                                "/swagger-ui/**")
                        .permitAll()
                        .anyRequest().denyAll())
                .exceptionHandling(exceptions -> exceptions
                        // The metrics are known to be here (an account's key is told they need the admin key).
                        .defaultAuthenticationEntryPointFor(apiKeyEntryPoint,
                                new OrRequestMatcher(API, servedHere(environment, PROMETHEUS)))
                        // A denied path outside the API answers as an unknown one: what is there is not revealed.
                        .defaultAuthenticationEntryPointFor((request, response, denied) ->
                                errors.write(response, HttpStatus.NOT_FOUND, ErrorCode.NOT_FOUND),
                                AnyRequestMatcher.INSTANCE)
                        // The only rules an authenticated request can fail are the admin rules; the actuator's closed
                        // endpoints stay unknown paths even to the admin key.
                        .defaultAccessDeniedHandlerFor((request, response, denied) ->
                                        errors.write(response, HttpStatus.FORBIDDEN, ErrorCode.ADMIN_KEY_REQUIRED),
                                new OrRequestMatcher(API, servedHere(environment, PROMETHEUS)))
                        .defaultAccessDeniedHandlerFor((request, response, denied) ->
                                errors.write(response, HttpStatus.NOT_FOUND, ErrorCode.NOT_FOUND),
                                AnyRequestMatcher.INSTANCE))
                // API keys travel in a header, never in a cookie, so there is nothing for a forged request to ride on.
                // The pages' own chains (SandboxSecurity, AdminConsoleSecurity) come first and keep CSRF tokens.
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .build();
    }

    /** On the management server's port, once it listens on one of its own. */
    private static RequestMatcher onManagementPort(Environment environment, RequestMatcher matcher) {
        return request -> {
            Integer managementPort = matcher.matches(request) ? separateManagementPort(environment) : null;
            return managementPort != null && request.getLocalPort() == managementPort;
        };
    }

    /**
     * Where the actuator answers: on the server's port when it shares it, else on its own port only (elsewhere the
     * path is unknown, 404, whatever the key; a role check there would answer an account's key 403).
     */
    private static RequestMatcher servedHere(Environment environment, RequestMatcher matcher) {
        return request -> {
            if (!matcher.matches(request)) {
                return false;
            }
            Integer managementPort = separateManagementPort(environment);
            return managementPort == null || request.getLocalPort() == managementPort;
        };
    }

    /** The port the management server got, once it listens, if it is not the server's own. */
    private static Integer separateManagementPort(Environment environment) {
        Integer managementPort = environment.getProperty("local.management.port", Integer.class);
        Integer serverPort = environment.getProperty("local.server.port", Integer.class);
        return managementPort != null && managementPort > 0 && !managementPort.equals(serverPort)
                ? managementPort : null;
    }

    /**
     * No observations of Spring Security's own: with them each filter of every request is wrapped in one (a dozen per
     * request, noop or not), which fed no metric we publish; {@code http.server.requests} still times each request.
     */
    @Bean
    public static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * A path the firewall refuses ({@code ;}, {@code //}, any percent-encoded character: {@link PlainPathFirewall})
     * is bad input, answered as such; so is a header it refuses (a control character, or UTF-8 text whose bytes HTTP
     * reads as Latin-1 C1 controls), which is named as the header's fault, not the URL's (by the firewall's message).
     */
    @Bean
    public WebSecurityCustomizer rejectedRequestsAnswerInTheErrorFormat(ErrorResponses errors) {
        return web -> web.httpFirewall(new PlainPathFirewall()).requestRejectedHandler((request, response, rejected) ->
                errors.write(response, HttpStatus.BAD_REQUEST,
                        String.valueOf(rejected.getMessage()).startsWith("The request was rejected because the header")
                                ? HEADER_REFUSED : URL_REFUSED));
    }
}
