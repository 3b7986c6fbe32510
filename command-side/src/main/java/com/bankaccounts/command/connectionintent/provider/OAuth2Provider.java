package com.bankaccounts.command.connectionintent.provider;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The authorization code flow with PKCE (S256) against a configured OAuth 2.0 authorization server. The token
 * request authenticates the client with HTTP Basic; the accounts endpoint is read with the access token and must
 * answer {@code {"accounts": [{"accountNumber": "...", "name": "..."}]}}.
 */
public class OAuth2Provider implements OpenBankingProvider {

    private static final Logger log = LoggerFactory.getLogger(OAuth2Provider.class);

    private final OAuth2ProviderProperties properties;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();

    public OAuth2Provider(OAuth2ProviderProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String authorizationUrl(AuthorizationRequest request) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", properties.clientId());
        query.put("redirect_uri", redirectUri(request.redirectUri()));
        query.put("scope", request.paymentConsent() ? properties.paymentScope() : properties.accountScope());
        query.put("state", request.state());
        query.put("code_challenge", request.codeChallenge());
        query.put("code_challenge_method", "S256");
        String separator = properties.authorizeUrl().contains("?") ? "&" : "?";
        return properties.authorizeUrl() + separator + form(query);
    }

    @Override
    public ProviderGrant exchange(CodeExchange exchange) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", exchange.code());
        form.put("redirect_uri", redirectUri(exchange.redirectUri()));
        form.put("code_verifier", exchange.codeVerifier());
        form.put("client_id", properties.clientId());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(properties.tokenUrl()))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (properties.clientSecret() != null && !properties.clientSecret().isBlank()) {
            String credentials = properties.clientId() + ":" + properties.clientSecret();
            request.header("authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = send(request.build(), "token");
        if (response.statusCode() == 400 || response.statusCode() == 401) {
            String error = field(parse(response.body()), "error");
            if ("invalid_grant".equals(error)) {
                throw new AuthorizationCodeRejectedException("invalid_grant");
            }
            log.warn("Provider token endpoint refused the request: {} {}", response.statusCode(), error);
            throw ProviderFailureException.error();
        }
        if (response.statusCode() != 200) {
            log.warn("Provider token endpoint answered {}", response.statusCode());
            throw ProviderFailureException.error();
        }
        JsonNode body = parse(response.body());
        String accessToken = field(body, "access_token");
        String refreshToken = field(body, "refresh_token");
        if (accessToken == null || refreshToken == null) {
            log.warn("Provider token response lacks access_token or refresh_token");
            throw ProviderFailureException.error();
        }
        return new ProviderGrant(accessToken, refreshToken, field(body, "consent_id"));
    }

    @Override
    public List<ProviderAccount> accounts(ProviderGrant grant) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(properties.accountsUrl()))
                .header("authorization", "Bearer " + grant.accessToken())
                .header("accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response = send(request, "accounts");
        if (response.statusCode() != 200) {
            log.warn("Provider accounts endpoint answered {}", response.statusCode());
            throw ProviderFailureException.error();
        }
        JsonNode accounts = parse(response.body()).get("accounts");
        if (accounts == null || !accounts.isArray()) {
            throw ProviderFailureException.error();
        }
        List<ProviderAccount> result = new ArrayList<>();
        for (JsonNode account : accounts) {
            String number = field(account, "accountNumber");
            String name = field(account, "name");
            if (number == null || name == null) {
                throw ProviderFailureException.error();
            }
            result.add(new ProviderAccount(number, name));
        }
        return result;
    }

    private String redirectUri(String intentRedirectUri) {
        return intentRedirectUri != null ? intentRedirectUri : properties.redirectUri();
    }

    /** The read timeout bounds the whole exchange, body included (the client's own timeout stops at the headers). */
    private HttpResponse<String> send(HttpRequest request, String endpoint) {
        CompletableFuture<HttpResponse<String>> response =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            return response.get(properties.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            log.warn("Provider {} endpoint timed out", endpoint);
            throw ProviderFailureException.unavailable();
        } catch (ExecutionException e) {
            log.warn("Provider {} endpoint unreachable: {}", endpoint, e.getCause().getClass().getSimpleName());
            throw ProviderFailureException.unavailable();
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw ProviderFailureException.unavailable();
        }
    }

    private JsonNode parse(String body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw ProviderFailureException.error();
            }
            return node;
        } catch (JacksonException e) {
            throw ProviderFailureException.error();
        }
    }

    private static String field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || !value.isString() || value.asString().isBlank() ? null : value.asString();
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(entry.getValue() == null ? "" : entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
