package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The security filter chain as a client meets it: the 401 answers, actuator closed but for health (even with every
 * endpoint exposed), Spring Security's default headers, and paths its firewall refuses answered as bad input.
 */
@TestPropertySource(properties = "management.endpoints.web.exposure.include=*")
class SecurityChainTest extends ApiTestSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String key) throws Exception {
        return http.send(api.request(path, key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unauthenticatedAnswersAreTheErrorFormatByteForByte() throws Exception {
        HttpResponse<String> missing = get("/api/accounts/WRhAxxWpTKb5U7pXyxQjjY", null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(missing.body()).isEqualTo("{\"statusCode\":401,\"error\":\"Unauthorized\",\"message\":\"API_KEY_REQUIRED\","
                + "\"requestId\":\"" + missing.headers().firstValue("x-request-id").orElseThrow() + "\"}");
        assertThat(withoutRequestId(get("/api/accounts/WRhAxxWpTKb5U7pXyxQjjY", " ").body()))
                .isEqualTo(withoutRequestId(missing.body()));

        HttpResponse<String> invalid = get("/api/accounts/WRhAxxWpTKb5U7pXyxQjjY", "no-such-key");
        assertThat(invalid.statusCode()).isEqualTo(401);
        assertThat(withoutRequestId(invalid.body()))
                .isEqualTo("{\"statusCode\":401,\"error\":\"Unauthorized\",\"message\":\"API_KEY_INVALID\"}");
        // Admin-only endpoints ask for a key first, like any other.
        assertRefused(api.get("/api/admin/projections", null), 401, "API_KEY_REQUIRED");
        assertRefused(api.post("/api/accounts", "no-such-key", "{}"), 401, "API_KEY_INVALID");
    }

    /**
     * Two different keys: 400, whichever they are. Before, the first was taken, so a gateway that reads the last one
     * (for its access rules or limits) saw another caller than the one served.
     */
    @Test
    void twoDifferentKeysAreRefusedAsBadInput() throws Exception {
        TestAccount first = newAccount(true);
        TestAccount second = newAccount(true);
        for (String other : new String[] {second.key(), "no-such-key"}) {
            HttpResponse<String> refused = http.send(api.request("/api/accounts/" + first.id(), first.key())
                    .header("x-api-key", other).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(withoutRequestId(refused.body())).isEqualTo("{\"statusCode\":400,\"error\":\"Bad Request\","
                    + "\"message\":\"x-api-key must be given once (two different keys were sent)\"}");
        }
        // The same key twice is one key.
        HttpResponse<String> same = http.send(api.request("/api/accounts/" + first.id(), first.key())
                .header("x-api-key", first.key()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
    }

    @Test
    void theRefusalOfAnAdminEndpointIsTheErrorFormat() {
        TestAccount account = newAccount(true);
        assertThat(api.get("/api/admin/projections", account.key()).body())
                .isEqualTo("{\"statusCode\":403,\"error\":\"Forbidden\",\"message\":\"ADMIN_KEY_REQUIRED\"}");
        assertThat(api.get("/api/admin/no-such-thing", account.key()).status()).isEqualTo(403);
        assertThat(api.get("/api/admin/projections", ADMIN_KEY).status()).isEqualTo(200);
    }

    @Test
    void healthIsOpenAndEveryOtherActuatorEndpointAnswersAsAnUnknownPath() {
        assertThat(api.get("/actuator/health", null).text("status")).isEqualTo("UP");
        for (String path : List.of("/actuator", "/actuator/env", "/actuator/beans", "/actuator/configprops",
                "/actuator/heapdump", "/actuator/metrics", "/actuator/threaddump", "/actuator/info", "/actuator/loggers", "/actuator/mappings")) {
            for (String key : java.util.Arrays.asList(null, ADMIN_KEY)) {
                assertRefused(api.get(path, key), 404, "NOT_FOUND");
            }
        }
        assertRefused(api.post("/actuator/loggers/ROOT", ADMIN_KEY, "{\"configuredLevel\":\"TRACE\"}"), 404,
                "NOT_FOUND");
    }

    @Test
    void pathsOutsideTheApiAreClosedButTheSandboxAndUnknownPathsAnswerAsBefore() {
        assertRefused(api.get("/no-such-page", null), 404, "NOT_FOUND");
        assertRefused(api.get("/api/no-such-thing", ADMIN_KEY), 404, "NOT_FOUND");
        assertThat(api.get("/sandbox/consent?state=unknown", null).status()).isEqualTo(404);
        // Open without a key or session; it shows only what the sandbox bank decided, and it decided nothing here.
        assertThat(api.get("/sandbox/callback?error=access_denied", null).body()).contains("Unknown consent");
    }

    @Test
    void responsesCarrySpringSecuritysDefaultHeadersAndNoSession() throws Exception {
        TestAccount account = newAccount(true);
        for (HttpResponse<String> response : List.of(get("/api/accounts/" + account.id(), account.key()),
                get("/api/accounts/" + account.id(), null), get("/actuator/health", null),
                get("/sandbox/callback?code=c&state=s", null))) {
            HttpHeaders headers = response.headers();
            assertThat(headers.allValues("x-content-type-options")).as(response.uri().toString()).containsExactly("nosniff");
            assertThat(headers.firstValue("x-frame-options")).hasValue("DENY");
            assertThat(headers.firstValue("cache-control")).hasValue("no-cache, no-store, max-age=0, must-revalidate");
            assertThat(headers.firstValue("x-xss-protection")).hasValue("0");
            assertThat(headers.firstValue("set-cookie")).isEmpty();
        }
        // The sandbox page's own policy reaches the browser.
        assertThat(get("/sandbox/callback?code=c&state=s", null).headers().allValues("content-security-policy"))
                .containsExactly("default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
                        + "frame-ancestors 'none'; form-action 'self'");
    }

    @Test
    void aDownloadKeepsItsOwnHeadersAndContent() throws Exception {
        TestAccount account = newAccount(true);
        String id = uploadPdf(account).text("id");
        HttpResponse<String> download = get("/api/media-uploads/" + id + "/content", account.key());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo("%PDF-1.4");
        assertThat(download.headers().firstValue("content-type")).hasValue("application/pdf");
        assertThat(download.headers().firstValue("content-disposition")).hasValueSatisfying(
                value -> assertThat(value).startsWith("attachment"));
        assertThat(download.headers().allValues("x-content-type-options")).containsExactly("nosniff");
    }

    @Test
    void pathsTheFirewallRefusesAreBadInputInTheErrorFormat() throws Exception {
        for (String path : List.of("/api/accounts;jsessionid=x", "/api/accounts/%2e%2e/x", "/api/accounts/%25",
                "/sandbox/consent;x=y", "/api/accounts/%0a", "/api//accounts", "/actuator/health;x=y",
                "/%61pi/accounts", "/api/%61ccounts", "/sandbox/%63onsent", "/actuator/he%61lth")) {
            String raw = rawGet(path);
            assertThat(raw).as(path).startsWith("HTTP/1.1 400");
            assertThat(raw).as(path).containsIgnoringCase("content-type: application/json");
            assertThat(withoutRequestId(raw)).as(path).endsWith("{\"statusCode\":400,\"error\":\"Bad Request\","
                    + "\"message\":\"request URL is not allowed\"}");
        }
        // A header's UTF-8 text arrives as Latin-1 C1 controls: the header is named, not the URL.
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(concat(("POST /api/accounts HTTP/1.1\r\nHost: localhost\r\nx-api-key: "
                            + ADMIN_KEY + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                            + "Idempotency-Key: ").getBytes(StandardCharsets.ISO_8859_1),
                    "\u043a\u043b\u044e\u0447".getBytes(StandardCharsets.UTF_8),
                    "\r\nConnection: close\r\n\r\n{}".getBytes(StandardCharsets.ISO_8859_1)));
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(raw).startsWith("HTTP/1.1 400");
            assertThat(raw).contains("\"message\":\"a request header is not allowed: its name or value holds a "
                    + "control character (UTF-8 text such as Cyrillic reads as one)\"");
        }
        // Tomcat itself refuses an encoded slash or backslash before the application sees them, in the same format.
        for (String path : List.of("/api/accounts/%5Cx", "/api/accounts/%2F..")) {
            String raw = rawGet(path);
            assertThat(raw).as(path).startsWith("HTTP/1.1 400");
            assertThat(raw).as(path).containsIgnoringCase("content-type: application/json");
            assertThat(raw).as(path).contains("{\"statusCode\":400,\"error\":\"Bad Request\",\"message\":");
        }
    }

    @Test
    void aPercentEncodedPathReachesNoEndpoint() throws Exception {
        // Spring MVC would route it decoded, past the filters that read the path as sent (the per-account limit).
        TestAccount account = newAccount(true);
        for (String path : List.of("/%61pi/bank-accounts", "/api/b%61nk-accounts")) {
            HttpResponse<String> created = http.send(api.request(path, account.key())
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"bankAccountNumber\":\"" + uniqueTestNumber()
                            + "\",\"bankAccountName\":\"Encoded\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(path).isEqualTo(400);
            assertThat(withoutRequestId(created.body())).as(path).isEqualTo("{\"statusCode\":400,"
                    + "\"error\":\"Bad Request\",\"message\":\"request URL is not allowed\"}");
        }
        assertThat(bankAccounts(account).size()).isZero();
    }

    /** The error format's request id differs per request; the rest is compared byte for byte. */
    static String withoutRequestId(String body) {
        return body.replaceFirst(",\"requestId\":\"[A-Za-z0-9._-]+\"", "");
    }

    /** The client library would normalise or refuse some of these paths, so they go out as written. */
    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private String rawGet(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + ADMIN_KEY
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
