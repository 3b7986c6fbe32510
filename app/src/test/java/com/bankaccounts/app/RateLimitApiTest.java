package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Small limits in a context of their own: 6 requests a minute per account (the admin key is one too) and 3 answers
 * of 401 a minute per client address. The 401 burst comes from another loopback address (127.0.0.2), so this class's
 * other calls from 127.0.0.1 are not blocked by it.
 */
@TestPropertySource(properties = {"app.rate-limit.requests-per-minute=6", "app.rate-limit.unauthenticated-per-minute=3"})
class RateLimitApiTest extends ApiTestSupport {


    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> get(String path, String key) throws Exception {
        return http.send(api.request(path, key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAccountOverItsLimitGets429WithRetryAfterAndEveryAnswerCarriesTheLimit() throws Exception {
        TestAccount account = newAccount(true);
        TestAccount other = newAccount(true);
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // Answers of every kind count: a read, an unknown id, an admin-only path.
            String path = switch (i % 3) {
                case 0 -> "/api/accounts/" + account.id();
                case 1 -> "/api/bank-accounts/WRhAxxWpTKb5U7pXyxQjjY";
                default -> "/api/admin/projections";
            };
            answers.add(get(path, account.key()));
        }
        for (int i = 0; i < answers.size(); i++) {
            HttpHeaders headers = answers.get(i).headers();
            assertThat(answers.get(i).statusCode()).isIn(200, 403, 404);
            assertThat(headers.firstValue("ratelimit-limit")).hasValue("6");
            assertThat(headers.firstValue("ratelimit-remaining")).hasValue(Integer.toString(5 - i));
            assertThat(headers.firstValue("ratelimit-reset")).hasValueSatisfying(reset ->
                    assertThat(Integer.parseInt(reset)).isBetween(1, 60));
            assertThat(headers.firstValue("retry-after")).isEmpty();
        }

        HttpResponse<String> over = get("/api/accounts/" + account.id(), account.key());
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = json.readTree(over.body());
        assertThat(body.path("statusCode").asInt()).isEqualTo(429);
        assertThat(body.path("error").asString()).isEqualTo("Too Many Requests");
        assertThat(body.path("message").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(body.path("requestId").asString()).isEqualTo(over.headers().firstValue("x-request-id").orElseThrow());
        assertThat(over.headers().firstValue("ratelimit-limit")).hasValue("6");
        assertThat(over.headers().firstValue("ratelimit-remaining")).hasValue("0");
        String reset = over.headers().firstValue("ratelimit-reset").orElseThrow();
        assertThat(Integer.parseInt(reset)).isBetween(1, 60);
        assertThat(over.headers().firstValue("retry-after")).hasValue(reset);
        // A write is refused before it does anything.
        long events = eventCount();
        assertThat(api.post("/api/bank-accounts", account.key(), java.util.Map.of("bankAccountNumber",
                uniqueTestNumber(), "bankAccountName", "John Doe")).status()).isEqualTo(429);
        assertThat(eventCount()).isEqualTo(events);

        // Another account, and the admin key, have limits of their own.
        HttpResponse<String> otherAnswer = get("/api/accounts/" + other.id(), other.key());
        assertThat(otherAnswer.statusCode()).isEqualTo(200);
        assertThat(otherAnswer.headers().firstValue("ratelimit-remaining")).hasValue("5");
        HttpResponse<String> admin = get("/api/accounts/" + account.id(), ADMIN_KEY);
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.headers().firstValue("ratelimit-limit")).hasValue("6");
    }

    @Test
    void aBurstOfWrongKeysFromOneAddressGets429AndThenEvenARightKeyDoes() throws IOException {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(fromOtherAddress("/api/accounts/WRhAxxWpTKb5U7pXyxQjjY", i % 2 == 0 ? "wrong-key-" + i : null));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(answers.get(i)).startsWith("HTTP/1.1 401");
            assertThat(header(answers.get(i), "ratelimit-limit")).isEqualTo("3");
            assertThat(header(answers.get(i), "ratelimit-remaining")).isEqualTo(Integer.toString(2 - i));
        }
        for (String answer : answers.subList(3, 6)) {
            assertThat(answer).startsWith("HTTP/1.1 429");
            assertThat(header(answer, "ratelimit-remaining")).isEqualTo("0");
            assertThat(Integer.parseInt(header(answer, "retry-after"))).isBetween(1, 60);
            assertThat(body(answer).path("message").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
        }
        // The address is refused whatever its key, so a guess that hits cannot tell.
        assertThat(fromOtherAddress("/api/accounts/WRhAxxWpTKb5U7pXyxQjjY", ADMIN_KEY)).startsWith("HTTP/1.1 429");
        // Other addresses are not.
        assertThat(api.get("/api/accounts/WRhAxxWpTKb5U7pXyxQjjY", "wrong-key").status()).isEqualTo(401);
    }

    /** The admin console's sign-in takes the admin key too: its wrong keys count as the API's 401s do. */
    @Test
    void wrongKeysAtTheConsolesSignInCountAndThenEvenTheRightKeyGets429() throws IOException {
        String page = fromAddress("127.0.0.3", "GET /admin/login", "", null);
        String cookie = "Cookie: " + header(page, "set-cookie").split(";")[0] + "\r\n";
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(token.find()).as(page).isTrue();
        String form = "_csrf=" + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8) + "&key=";
        for (int i = 0; i < 3; i++) {
            String refused = fromAddress("127.0.0.3", "POST /admin/login", cookie, form + "wrong-" + i);
            assertThat(refused).startsWith("HTTP/1.1 302");
            assertThat(header(refused, "location")).endsWith("/admin/login?error");
        }
        // The console's own page, as for its other refusals, not the API's JSON.
        String over = fromAddress("127.0.0.3", "POST /admin/login", cookie, form + "wrong-3");
        assertThat(over).startsWith("HTTP/1.1 429");
        assertThat(header(over, "content-type")).startsWith("text/html");
        assertThat(header(over, "retry-after")).matches("\\d+");
        assertThat(header(over, "content-security-policy")).isNotBlank();
        assertThat(over).contains("<h1>Too many attempts</h1>").contains("Wait a minute");
        // The right key now answers as a wrong one does, at the console and on the API, refused before the chain.
        String blocked = fromAddress("127.0.0.3", "POST /admin/login", cookie, form + ADMIN_KEY);
        assertThat(blocked).startsWith("HTTP/1.1 429").contains("<h1>Too many attempts</h1>");
        assertThat(header(blocked, "content-type")).startsWith("text/html");
        assertThat(header(blocked, "retry-after")).matches("\\d+");
        assertThat(header(blocked, "ratelimit-remaining")).isEqualTo("0");
        assertThat(header(blocked, "cache-control")).contains("no-store");
        assertThat(header(blocked, "content-security-policy")).isNotBlank();
        assertThat(fromAddress("127.0.0.3", "GET /api/accounts/WRhAxxWpTKb5U7pXyxQjjY", "", null))
                .startsWith("HTTP/1.1 429");
    }

    /** A request sent from another loopback address; {@code headers} are whole lines, a form is url-encoded. */
    private String fromAddress(String address, String requestLine, String headers, String form) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(address, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            byte[] body = form == null ? new byte[0] : form.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: localhost\r\n" + headers
                    + (form == null ? "" : "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                    + body.length + "\r\n")
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private JsonNode body(String raw) {
        return json.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
    }

    private static String header(String raw, String name) {
        for (String line : raw.substring(0, raw.indexOf("\r\n\r\n")).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        throw new AssertionError("no " + name + " in " + raw);
    }

    private String fromOtherAddress(String path, String key) throws IOException {
        return fromAddress("127.0.0.2", "GET " + path, key == null ? "" : "x-api-key: " + key + "\r\n", null);
    }
}
