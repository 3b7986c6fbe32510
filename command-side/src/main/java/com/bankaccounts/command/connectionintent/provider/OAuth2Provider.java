package com.bankaccounts.command.connectionintent.provider;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The authorization code flow with PKCE (S256) against a configured OAuth 2.0 authorization server. The token
 * request authenticates the client with HTTP Basic, id and secret form-encoded first (RFC 6749 section 2.3.1). The
 * token answer's {@code refresh_token} is optional, as in RFC 6749; {@code consent_id}, which no standard names,
 * is kept when a provider sends it. The accounts endpoint is read with the access token and must answer
 * {@code {"accounts": [{"accountNumber": "...", "name": "..."}]}}.
 */
public class OAuth2Provider implements OpenBankingProvider {

    private static final Logger log = LoggerFactory.getLogger(OAuth2Provider.class);

    private final OAuth2ProviderProperties properties;
    private final RestClient http;

    public OAuth2Provider(OAuth2ProviderProperties properties) {
        this.properties = properties;
        // The read timeout of Spring's JDK request factory bounds the whole exchange, the body included.
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
        requests.setReadTimeout(properties.readTimeout());
        this.http = RestClient.builder()
                .requestFactory(requests)
                .configureMessageConverters(converters -> converters
                        .withJsonConverter(new JacksonJsonHttpMessageConverter(strictJson())))
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
        UriComponentsBuilder url = UriComponentsBuilder.fromUriString(properties.authorizeUrl());
        // Values go in as URI variables, so that they are encoded strictly, reserved characters included.
        query.forEach((name, value) -> {
            if (value != null) {
                url.queryParam(name, "{" + name + "}");
            }
        });
        return url.encode().buildAndExpand(query).toUriString();
    }

    @Override
    public ProviderGrant exchange(CodeExchange exchange) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "authorization_code");
        form.add("code", exchange.code());
        if (redirectUri(exchange.redirectUri()) != null) {
            form.add("redirect_uri", redirectUri(exchange.redirectUri()));
        }
        form.add("code_verifier", exchange.codeVerifier());
        form.add("client_id", properties.clientId());
        TokenAnswer answer = call("token", () -> http.post()
                .uri(URI.create(properties.tokenUrl()))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.APPLICATION_JSON)
                .headers(headers -> {
                    if (confidentialClient()) {
                        headers.setBasicAuth(formEncoded(properties.clientId()),
                                formEncoded(properties.clientSecret()));
                    }
                })
                .body(form)
                .exchange((request, response) -> {
                    int status = response.getStatusCode().value();
                    if (status == 400 || status == 401) {
                        OAuthError error = response.bodyTo(OAuthError.class);
                        if (error != null && "invalid_grant".equals(error.error())) {
                            throw new AuthorizationCodeRejectedException("invalid_grant");
                        }
                        log.warn("Provider token endpoint refused the request: {} {}", status,
                                error == null ? null : error.error());
                        throw ProviderFailureException.error();
                    }
                    if (status != 200) {
                        log.warn("Provider token endpoint answered {}", status);
                        throw ProviderFailureException.error();
                    }
                    return response.bodyTo(TokenAnswer.class);
                }));
        if (answer == null || blank(answer.accessToken())) {
            log.warn("Provider token response lacks access_token");
            throw ProviderFailureException.error();
        }
        return new ProviderGrant(answer.accessToken(), presentOrNull(answer.refreshToken()),
                presentOrNull(answer.consentId()));
    }

    @Override
    public List<ProviderAccount> accounts(ProviderGrant grant) {
        AccountsAnswer answer = call("accounts", () -> http.get()
                .uri(URI.create(properties.accountsUrl()))
                .headers(headers -> headers.setBearerAuth(grant.accessToken()))
                .accept(MediaType.APPLICATION_JSON)
                .exchange((request, response) -> {
                    if (response.getStatusCode().value() != 200) {
                        log.warn("Provider accounts endpoint answered {}", response.getStatusCode().value());
                        throw ProviderFailureException.error();
                    }
                    return response.bodyTo(AccountsAnswer.class);
                }));
        if (answer == null || answer.accounts() == null || answer.accounts().stream()
                .anyMatch(account -> account == null || blank(account.accountNumber()) || blank(account.name()))) {
            log.warn("Provider accounts answer is incomplete");
            throw ProviderFailureException.error();
        }
        return answer.accounts();
    }

    private boolean confidentialClient() {
        return !blank(properties.clientSecret());
    }

    private String redirectUri(String intentRedirectUri) {
        return intentRedirectUri != null ? intentRedirectUri : properties.redirectUri();
    }

    /** A failure to talk to the provider is 503 (retry may work); an answer that cannot be read is 502. */
    private static <T> T call(String endpoint, Supplier<T> call) {
        try {
            return call.get();
        } catch (RestClientException e) {
            if (causedByIo(e)) {
                log.warn("Provider {} endpoint unreachable or too slow: {}", endpoint, rootCause(e).getClass()
                        .getSimpleName());
                throw ProviderFailureException.unavailable();
            }
            log.warn("Provider {} endpoint answered what cannot be read: {}", endpoint, e.getClass().getSimpleName());
            throw ProviderFailureException.error();
        }
    }

    private static boolean causedByIo(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** A number or a boolean where a token is expected is a malformed answer, not a token. */
    private static JsonMapper strictJson() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }

    private static String formEncoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String presentOrNull(String value) {
        return blank(value) ? null : value;
    }

    /** RFC 6749 section 5.1, and the {@code consent_id} some open-banking providers add. */
    record TokenAnswer(@JsonProperty("access_token") String accessToken,
                       @JsonProperty("refresh_token") String refreshToken,
                       @JsonProperty("consent_id") String consentId) {
    }

    /** RFC 6749 section 5.2. */
    record OAuthError(String error) {
    }

    record AccountsAnswer(List<ProviderAccount> accounts) {
    }
}
