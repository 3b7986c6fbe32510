package com.bankaccounts.command.connectionintent.provider;

import com.bankaccounts.platform.web.NameText;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.core.JacksonException;
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
 * {@code {"accounts": [{"accountNumber": "...", "name": "..."}]}}; an access token it refuses (401) may be renewed
 * with the refresh token at the token endpoint (RFC 6749 section 6).
 */
public class OAuth2Provider implements OpenBankingProvider {

    private static final Logger log = LoggerFactory.getLogger(OAuth2Provider.class);
    /** Far above any real answer (ten thousand accounts), far below what would fill the heap. */
    static final int MAX_ANSWER_BYTES = 1 << 20;
    /** RFC 6749 appendix A's VSCHAR, a visible ASCII character or a space: what codes, states and tokens hold. */
    public static final String VSCHAR = "[\\x20-\\x7E]";
    /** RFC 6749 appendix A: a token is one or more VSCHARs. */
    private static final Pattern TOKEN = Pattern.compile(VSCHAR + "{1,16384}");
    /** No standard names it; kept beside the tokens, so it must be as plain. */
    private static final Pattern CONSENT_ID = Pattern.compile("[\\x21-\\x7E]{1,1000}");
    /** What a bank account's name may be here: the API's limit and its rule for names ({@link NameText}). */
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[^" + NameText.REFUSED + "]{1,200}");

    private final OAuth2ProviderProperties properties;
    private final JsonMapper json = strictJson();
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
        return token(form, () -> new AuthorizationCodeRejectedException("invalid_grant"));
    }

    /** RFC 6749 section 6, authenticated as the exchange is. A refused refresh token is a provider error. */
    @Override
    public ProviderGrant refresh(String refreshToken) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "refresh_token");
        form.add("refresh_token", refreshToken);
        return token(form, () -> {
            log.warn("Provider token endpoint refused the refresh token: invalid_grant");
            return ProviderFailureException.error();
        });
    }

    /** A token request with the client's authentication; {@code invalidGrant} is what its invalid_grant throws. */
    private ProviderGrant token(MultiValueMap<String, String> form, Supplier<RuntimeException> invalidGrant) {
        HttpHeaders authentication = new HttpHeaders();
        properties.authenticate(authentication, form);
        TokenAnswer answer = call("token", () -> http.post()
                .uri(URI.create(properties.tokenUrl()))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.APPLICATION_JSON)
                .headers(headers -> headers.addAll(authentication))
                .body(form)
                .exchange((request, response) -> {
                    int status = response.getStatusCode().value();
                    if (status == 400 || status == 401) {
                        OAuthError error = read("token", response, OAuthError.class);
                        if (error != null && "invalid_grant".equals(error.error())) {
                            throw invalidGrant.get();
                        }
                        log.warn("Provider token endpoint refused the request: {} {}", status,
                                error == null ? null : loggableErrorCode(error.error()));
                        throw ProviderFailureException.error();
                    }
                    if (status != 200) {
                        log.warn("Provider token endpoint answered {}", status);
                        throw ProviderFailureException.error();
                    }
                    return read("token", response, TokenAnswer.class);
                }));
        if (answer == null || blank(answer.accessToken())) {
            log.warn("Provider token response lacks access_token");
            throw ProviderFailureException.error();
        }
        String refreshToken = presentOrNull(answer.refreshToken());
        String consentId = presentOrNull(answer.consentId());
        // A token goes into a header and, with the others, into the kept grant's lines: one outside RFC 6749's
        // characters (a line break, a control character) is a malformed answer, and is never logged.
        if (!TOKEN.matcher(answer.accessToken()).matches()
                || refreshToken != null && !TOKEN.matcher(refreshToken).matches()
                || consentId != null && !CONSENT_ID.matcher(consentId).matches()) {
            log.warn("Provider token response holds a token or consent_id outside the allowed characters or length");
            throw ProviderFailureException.error();
        }
        return new ProviderGrant(answer.accessToken(), refreshToken, consentId);
    }

    @Override
    public List<ProviderAccount> accounts(ProviderGrant grant) {
        AccountsAnswer answer = call("accounts", () -> http.get()
                .uri(URI.create(properties.accountsUrl()))
                .headers(headers -> headers.setBearerAuth(grant.accessToken()))
                .accept(MediaType.APPLICATION_JSON)
                .exchange((request, response) -> {
                    if (response.getStatusCode().value() == 401) {
                        log.warn("Provider accounts endpoint refused the access token (401)");
                        throw new AccessTokenRejectedException();
                    }
                    if (response.getStatusCode().value() != 200) {
                        log.warn("Provider accounts endpoint answered {}", response.getStatusCode().value());
                        throw ProviderFailureException.error();
                    }
                    return read("accounts", response, AccountsAnswer.class);
                }));
        if (answer == null || answer.accounts() == null || answer.accounts().stream()
                .anyMatch(account -> account == null || blank(account.accountNumber()) || blank(account.name()))) {
            log.warn("Provider accounts answer is incomplete");
            throw ProviderFailureException.error();
        }
        if (answer.accounts().stream().anyMatch(account -> !ACCOUNT_NAME.matcher(account.name()).matches())) {
            log.warn("Provider accounts answer holds a name over 200 characters, or with a control character or a"
                    + " bidirectional override");
            throw ProviderFailureException.error();
        }
        return answer.accounts();
    }

    /** The answer's JSON, at most {@link #MAX_ANSWER_BYTES}: a larger or unreadable one is a malformed answer. */
    private <T> T read(String endpoint, ClientHttpResponse response, Class<T> type) throws IOException {
        byte[] body = response.getBody().readNBytes(MAX_ANSWER_BYTES + 1);
        if (body.length > MAX_ANSWER_BYTES) {
            log.warn("Provider {} endpoint answered more than {} bytes", endpoint, MAX_ANSWER_BYTES);
            throw ProviderFailureException.error();
        }
        try {
            return json.readValue(body, type);
        } catch (JacksonException e) {
            log.warn("Provider {} endpoint answered what cannot be read: {}", endpoint, e.getClass().getSimpleName());
            throw ProviderFailureException.error();
        }
    }

    /** The client's, else the configured default (an exchange of an intent stored before it was kept: today's). */
    @Override
    public String redirectUri(String requested) {
        return requested != null ? requested : properties.redirectUri();
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


    /**
     * An OAuth error code as RFC 6749 allows it (printable ASCII, here at most 64 characters), or a placeholder: the
     * provider's text is not written to the log as it came (a line break in it would forge a log line).
     */
    static String loggableErrorCode(String error) {
        return error == null || error.matches("[\\x20-\\x7E&&[^\"\\\\]]{1,64}") ? error : "(malformed error code)";
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
