package com.bankaccounts.command.connectionintent.provider;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * A real OAuth 2.0 authorization server (Spring Authorization Server) in an application context of its own, on a
 * random port, with a bank's accounts endpoint that accepts only the access tokens it issued. Its context imports
 * only what it names and reads no application configuration, so nothing of it reaches the application's own
 * context, and nothing of the application reaches it.
 */
final class AuthorizationServer implements AutoCloseable {

    /** Holds {@code +}, {@code /} and {@code =}, which change meaning unless form-encoded before Basic. */
    static final String CLIENT_SECRET = "s3cr+t/with+plus/and=slash";
    static final String CLIENT_ID = "centrapay";
    static final String CLIENT_WITHOUT_REFRESH_TOKENS = "centrapay-no-refresh";
    static final String SECRET_WITHOUT_REFRESH_TOKENS = "n0+refresh/tokens";
    static final String REDIRECT_URI = "https://merchant.example/callback";
    static final String SCOPE = "accounts";
    static final String ACCOUNTS_JSON = """
            {"accounts": [
              {"accountNumber": "01-0902-0068389-000", "name": "Everyday Account"},
              {"accountNumber": "12-3140-0123456-00", "name": "Online Saver"}
            ]}""";
    private static final String USERNAME = "alice";
    private static final String PASSWORD = "wonderland";

    private final ConfigurableApplicationContext context;
    private final String baseUrl;

    private AuthorizationServer(ConfigurableApplicationContext context) {
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    static AuthorizationServer start() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Config.class)
                .web(WebApplicationType.SERVLET)
                .properties(Map.of(
                        // No application.yml of the project: this context is configured here alone.
                        "spring.config.name", "authorization-server-test-" + UUID.randomUUID(),
                        "server.port", "0",
                        "server.address", "127.0.0.1",
                        "spring.main.banner-mode", "off",
                        "spring.main.register-shutdown-hook", "false"))
                .run();
        return new AuthorizationServer(context);
    }

    OAuth2ProviderProperties providerProperties(String clientId, String clientSecret) {
        return new OAuth2ProviderProperties(baseUrl + "/oauth2/authorize", baseUrl + "/oauth2/token",
                baseUrl + "/accounts", clientId, clientSecret, REDIRECT_URI, SCOPE, SCOPE, Duration.ofSeconds(5),
                Duration.ofSeconds(10));
    }

    String tokenUrl() {
        return baseUrl + "/oauth2/token";
    }

    @Override
    public void close() {
        context.close();
    }

    /**
     * Follows an authorization URL as a browser would: signs in on the form, gives consent, and returns where the
     * server finally sends the user (the redirect URI with the code and state).
     */
    URI signInAndConsent(String authorizationUrl) throws IOException, InterruptedException {
        Browser browser = new Browser();
        HttpResponse<String> response = browser.get(URI.create(authorizationUrl));
        response = browser.followRedirects(response);
        String loginPage = response.body();
        response = browser.post(URI.create(baseUrl + "/login"), Map.of("username", USERNAME, "password", PASSWORD,
                "_csrf", hiddenInput(loginPage, "_csrf")));
        response = browser.followRedirects(response);
        if (response.statusCode() == 200) {
            String consentPage = response.body();
            response = browser.post(URI.create(baseUrl + "/oauth2/authorize"), Map.of(
                    "client_id", hiddenInput(consentPage, "client_id"),
                    "state", hiddenInput(consentPage, "state"),
                    "scope", SCOPE));
        }
        if (response.statusCode() / 100 != 3) {
            throw new IllegalStateException("Expected the redirect to the client, got " + response.statusCode()
                    + ": " + response.body());
        }
        return URI.create(response.headers().firstValue("Location").orElseThrow());
    }

    private static String hiddenInput(String page, String name) {
        Matcher input = Pattern.compile("<input[^>]*name=\"" + Pattern.quote(name) + "\"[^>]*>").matcher(page);
        if (!input.find()) {
            throw new IllegalStateException("No input " + name + " in " + page);
        }
        Matcher value = Pattern.compile("value=\"([^\"]*)\"").matcher(input.group());
        if (!value.find()) {
            throw new IllegalStateException("No value for " + name + " in " + input.group());
        }
        return value.group(1).replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'");
    }

    /** A browser's session: its cookies, redirects followed on this server only. */
    private final class Browser {

        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(URI uri, Map<String, String> form) throws IOException, InterruptedException {
            String body = form.entrySet().stream()
                    .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return http.send(HttpRequest.newBuilder(uri)
                    .header("Accept", "text/html")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Redirects within the server; the one to the client's redirect URI is where the browser would leave. */
        HttpResponse<String> followRedirects(HttpResponse<String> response) throws IOException, InterruptedException {
            HttpResponse<String> current = response;
            for (int hops = 0; current.statusCode() / 100 == 3 && hops < 10; hops++) {
                URI location = current.uri().resolve(current.headers().firstValue("Location").orElseThrow());
                if (!location.toString().startsWith(baseUrl)) {
                    return current;
                }
                current = get(location);
            }
            return current;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebSecurity
    @ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class,
            TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, SecurityFilterAutoConfiguration.class})
    static class Config {

        @Bean
        @Order(1)
        SecurityFilterChain authorizationServerEndpoints(HttpSecurity http) throws Exception {
            OAuth2AuthorizationServerConfigurer authorizationServer = new OAuth2AuthorizationServerConfigurer();
            http.securityMatcher(authorizationServer.getEndpointsMatcher())
                    .with(authorizationServer, Customizer.withDefaults())
                    .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                            new LoginUrlAuthenticationEntryPoint("/login"),
                            new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
            return http.build();
        }

        @Bean
        @Order(2)
        SecurityFilterChain signInAndAccounts(HttpSecurity http) throws Exception {
            // The accounts endpoint checks its bearer token itself, against the tokens this server issued.
            http.authorizeHttpRequests(requests -> requests
                            .requestMatchers("/accounts").permitAll()
                            .anyRequest().authenticated())
                    .formLogin(Customizer.withDefaults());
            return http.build();
        }

        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(User.withUsername(USERNAME).password("{noop}" + PASSWORD)
                    .roles("USER").build());
        }

        @Bean
        RegisteredClientRepository clients() {
            return new InMemoryRegisteredClientRepository(
                    client(CLIENT_ID, CLIENT_SECRET, AuthorizationGrantType.REFRESH_TOKEN),
                    client(CLIENT_WITHOUT_REFRESH_TOKENS, SECRET_WITHOUT_REFRESH_TOKENS, null));
        }

        private static RegisteredClient client(String clientId, String secret,
                                               AuthorizationGrantType extraGrant) {
            RegisteredClient.Builder client = RegisteredClient.withId(UUID.randomUUID().toString())
                    .clientId(clientId)
                    .clientSecret("{noop}" + secret)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUri(REDIRECT_URI)
                    .scope(SCOPE)
                    .clientSettings(ClientSettings.builder()
                            .requireProofKey(true)
                            .requireAuthorizationConsent(true)
                            .build())
                    // Opaque access tokens, looked up by the accounts endpoint: no signing keys needed.
                    .tokenSettings(TokenSettings.builder().accessTokenFormat(OAuth2TokenFormat.REFERENCE).build());
            if (extraGrant != null) {
                client.authorizationGrantType(extraGrant);
            }
            return client.build();
        }

        @Bean
        OAuth2AuthorizationService authorizations() {
            return new InMemoryOAuth2AuthorizationService();
        }

        @Bean
        AuthorizationServerSettings authorizationServerSettings() {
            return AuthorizationServerSettings.builder().build();
        }

        @Bean
        AccountsEndpoint accountsEndpoint(OAuth2AuthorizationService authorizations) {
            return new AccountsEndpoint(authorizations);
        }
    }

    @RestController
    static class AccountsEndpoint {

        private final OAuth2AuthorizationService authorizations;

        AccountsEndpoint(OAuth2AuthorizationService authorizations) {
            this.authorizations = authorizations;
        }

        @GetMapping(path = "/accounts", produces = MediaType.APPLICATION_JSON_VALUE)
        ResponseEntity<String> accounts(@RequestHeader(name = "Authorization", required = false) String authorization) {
            String token = authorization != null && authorization.startsWith("Bearer ")
                    ? authorization.substring("Bearer ".length()) : null;
            OAuth2Authorization granted = token == null ? null
                    : authorizations.findByToken(token, OAuth2TokenType.ACCESS_TOKEN);
            if (granted == null || !granted.getAccessToken().isActive()
                    || !granted.getAuthorizedScopes().contains(SCOPE)) {
                return ResponseEntity.status(401).body("{\"error\":\"invalid_token\"}");
            }
            return ResponseEntity.ok(ACCOUNTS_JSON);
        }
    }
}
