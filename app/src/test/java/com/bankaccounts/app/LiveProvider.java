package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A scripted live open-banking provider (an OAuth 2.0 authorization server and its accounts endpoint) on a local
 * port, for the HTTP tests of live intents: its configuration for the application, its answers, the requests it
 * was sent, and what its answers are made of.
 * <p>
 * Token answers are scripted per authorization code (per refresh token for a refresh) and accounts answers per
 * access token, taken in order; what
 * is asked is recorded under the same keys, so no test sees another's requests or answers. An unscripted call
 * gets a 418, which the service sees as a provider error.
 */
final class LiveProvider extends Dispatcher {

    static final String CLIENT_ID = "live-client";
    static final String CLIENT_SECRET = "live-secret";
    static final String DEFAULT_REDIRECT_URI = "https://merchant.example/callback";

    private final MockWebServer server = new MockWebServer();
    private final Map<String, Deque<MockResponse>> tokenAnswers = new ConcurrentHashMap<>();
    private final Map<String, Deque<MockResponse>> accountsAnswers = new ConcurrentHashMap<>();
    private final Map<String, List<TokenRequest>> tokenRequests = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> tokenHolds = new ConcurrentHashMap<>();
    private final Map<String, List<RecordedRequest>> accountsRequests = new ConcurrentHashMap<>();
    private final Map<String, Deque<MockResponse>> revocationAnswers = new ConcurrentHashMap<>();
    private final Map<String, List<TokenRequest>> revocationRequests = new ConcurrentHashMap<>();

    record TokenRequest(RecordedRequest request, Map<String, String> form) {
    }

    private LiveProvider() {
    }

    static LiveProvider start() {
        LiveProvider provider = new LiveProvider();
        provider.server.setDispatcher(provider);
        try {
            provider.server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return provider;
    }

    void configure(DynamicPropertyRegistry registry) {
        registry.add("app.open-banking.authorize-url", () -> url("/authorize"));
        registry.add("app.open-banking.token-url", () -> url("/token"));
        registry.add("app.open-banking.accounts-url", () -> url("/accounts"));
        registry.add("app.open-banking.client-id", () -> CLIENT_ID);
        registry.add("app.open-banking.client-secret", () -> CLIENT_SECRET);
        registry.add("app.open-banking.redirect-uri", () -> DEFAULT_REDIRECT_URI);
        registry.add("app.open-banking.read-timeout", () -> "1s");
        registry.add("app.open-banking.revocation-url", () -> url("/revoke"));
        registry.add("app.open-banking.revocation-retry-delay", () -> "1s");
        registry.add("app.scheduler.polling-interval", () -> "1s");
    }

    String url(String path) {
        return server.url(path).toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The script and what was asked

    void token(String code, MockResponse... answers) {
        tokenAnswers.computeIfAbsent(code, key -> new ConcurrentLinkedDeque<>()).addAll(List.of(answers));
    }

    /**
     * Holds the answer to the exchange of {@code code} until {@code release}, for at most 800 ms (the application
     * waits 1 s, its read timeout), so that a test can act while the code is being exchanged.
     */
    void holdToken(String code, CountDownLatch release) {
        tokenHolds.put(code, release);
    }

    void accounts(String accessToken, MockResponse... answers) {
        accountsAnswers.computeIfAbsent(accessToken, key -> new ConcurrentLinkedDeque<>())
                .addAll(List.of(answers));
    }

    /** The answers to the revocation of a refresh token; unscripted, a revocation is answered 200. */
    void revocation(String refreshToken, MockResponse... answers) {
        revocationAnswers.computeIfAbsent(refreshToken, key -> new ConcurrentLinkedDeque<>())
                .addAll(List.of(answers));
    }

    List<TokenRequest> revocationRequests(String refreshToken) {
        return List.copyOf(revocationRequests.getOrDefault(refreshToken, List.of()));
    }

    /** Forgets the answers and requests of a fixed code, so that a test may use it again. */
    void forget(String code) {
        tokenAnswers.remove(code);
        tokenRequests.remove(code);
        accountsAnswers.remove(accessToken(code));
        accountsRequests.remove(accessToken(code));
    }

    List<TokenRequest> tokenRequests(String code) {
        return List.copyOf(tokenRequests.getOrDefault(code, List.of()));
    }

    List<RecordedRequest> accountsRequests(String accessToken) {
        return List.copyOf(accountsRequests.getOrDefault(accessToken, List.of()));
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        String path = request.getRequestUrl() == null ? "" : request.getRequestUrl().encodedPath();
        if ("/token".equals(path)) {
            Map<String, String> form = form(request.getBody().readUtf8());
            String code = "refresh_token".equals(form.get("grant_type"))
                    ? form.getOrDefault("refresh_token", "") : form.getOrDefault("code", "");
            tokenRequests.computeIfAbsent(code, key -> new CopyOnWriteArrayList<>())
                    .add(new TokenRequest(request, form));
            CountDownLatch hold = tokenHolds.remove(code);
            if (hold != null) {
                hold.await(800, TimeUnit.MILLISECONDS);
            }
            return next(tokenAnswers.get(code));
        }
        if ("/revoke".equals(path)) {
            Map<String, String> form = form(request.getBody().readUtf8());
            String token = form.getOrDefault("token", "");
            revocationRequests.computeIfAbsent(token, key -> new CopyOnWriteArrayList<>())
                    .add(new TokenRequest(request, form));
            MockResponse answer = revocationAnswers.getOrDefault(token, new ConcurrentLinkedDeque<>()).pollFirst();
            return answer != null ? answer : new MockResponse().setResponseCode(200);
        }
        if ("/accounts".equals(path)) {
            String authorization = request.getHeader("Authorization");
            String token = authorization != null && authorization.startsWith("Bearer ")
                    ? authorization.substring("Bearer ".length()) : "";
            accountsRequests.computeIfAbsent(token, key -> new CopyOnWriteArrayList<>()).add(request);
            return next(accountsAnswers.get(token));
        }
        return new MockResponse().setResponseCode(404);
    }

    private static MockResponse next(Deque<MockResponse> answers) {
        MockResponse answer = answers == null ? null : answers.pollFirst();
        return answer != null ? answer : json(418, "{\"error\":\"unscripted\"}");
    }

    // ---------------------------------------------------------------------------------------------------------
    // What the answers are made of

    static String newCode(String label) {
        return label + "-" + UUID.randomUUID();
    }

    static String accessToken(String code) {
        return "access-" + code;
    }

    static String refreshToken(String code) {
        return "refresh-" + code;
    }

    static String consentId(String code) {
        return "consent-" + code;
    }

    static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody(body);
    }

    static MockResponse grant(String code) {
        return json(200, ApiClient.JSON.writeValueAsString(ApiClient.map(
                "access_token", accessToken(code), "token_type", "Bearer", "expires_in", 3600,
                "refresh_token", refreshToken(code), "consent_id", consentId(code))));
    }

    /** A token answer with these tokens; a null refresh token is left out. */
    static MockResponse tokens(String accessToken, String refreshToken) {
        Map<String, Object> answer = new LinkedHashMap<>(Map.of("access_token", accessToken, "token_type", "Bearer",
                "expires_in", 3600));
        if (refreshToken != null) {
            answer.put("refresh_token", refreshToken);
        }
        return json(200, ApiClient.JSON.writeValueAsString(answer));
    }

    @SafeVarargs
    static MockResponse accountsAnswer(Map<String, String>... accounts) {
        return json(200, ApiClient.JSON.writeValueAsString(Map.of("accounts", List.of(accounts))));
    }

    static Map<String, String> query(String url) {
        return form(URI.create(url).getRawQuery());
    }

    static Map<String, String> form(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            String previous = values.put(URLDecoder.decode(key, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
            assertThat(previous).as("parameter " + key + " appears once in " + encoded).isNull();
        }
        return values;
    }

    /** The PKCE S256 code challenge of a verifier (RFC 7636). */
    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
