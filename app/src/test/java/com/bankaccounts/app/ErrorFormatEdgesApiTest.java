package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.converter.xml.Jaxb2RootElementHttpMessageConverter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import tools.jackson.databind.JsonNode;

/**
 * Whatever a client sends, the answer is the error format and never a 5xx: non-JSON and wildcard content types,
 * strings that are not Unicode, malformed bodies on every endpoint that takes one, and the requests Tomcat refuses
 * before the application (sent over a raw socket, as an HTTP client would refuse to send them).
 */
class ErrorFormatEdgesApiTest extends ApiTestSupport {

    private static final String ID = "WRhAxxWpTKb5U7pXyxQjjY";
    /** Every POST of the API that reads a JSON body, or may be sent one. */
    private static final List<String> JSON_POSTS = List.of("/api/accounts", "/api/accounts/" + ID + "/api-keys",
            "/api/bank-accounts", "/api/bank-accounts/" + ID + "/direct-debit-authorities",
            "/api/bank-accounts/" + ID + "/verify", "/api/bank-authorities", "/api/bank-authorities/" + ID + "/verify",
            "/api/funds-transfers", "/api/funds-transfers/" + ID + "/settle", "/api/bank-account-approvals",
            "/api/bank-account-approvals/" + ID + "/accept", "/api/bank-account-approvals/" + ID + "/decline",
            "/api/bank-account-approvals/" + ID + "/complete", "/api/admin/projections/approvals/replay",
            "/api/bank-account-connection-intents", "/api/bank-account-connection-intents/" + ID + "/authorize",
            "/api/bank-account-requests", "/api/bank-account-requests/" + ID + "/authorize");

    private final HttpClient http = HttpClient.newHttpClient();
    @Autowired
    private RequestMappingHandlerAdapter handlers;

    @Test
    void aContentTypeThatIsNotJsonIs415OnEveryJsonPost() {
        long events = eventCount();
        for (String path : JSON_POSTS) {
            for (String contentType : List.of("*/*", "text/*", "application/*", "application/*+json", "text/plain",
                    "application/x-www-form-urlencoded", "nonsense")) {
                Response refused = api.postRaw(path, ADMIN_KEY, contentType, "{\"name\":\"x\"}");
                assertThat(refused.status()).as(path + " " + contentType + " " + refused).isEqualTo(415);
                assertThat(refused.json().path("statusCode").asInt()).isEqualTo(415);
                assertThat(refused.text("error")).isEqualTo("Unsupported Media Type");
            }
        }
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void anAnswerInAnythingButJsonIs406InTheErrorFormat() {
        TestAccount account = newAccount(true);
        String path = "/api/bank-accounts/" + newBankAccount(account);
        for (String accept : List.of("application/xml", "text/xml", "application/yaml", "text/plain", "text/html",
                "application/cbor")) {
            Response refused = api.send(api.request(path, account.key()).header("accept", accept).GET().build());
            assertThat(refused.status()).as(accept + " " + refused).isEqualTo(406);
            assertThat(refused.json().path("statusCode").asInt()).isEqualTo(406);
        }
        for (String accept : List.of("application/json", "application/*", "*/*", "text/xml, application/json;q=0.5")) {
            Response answered = api.send(api.request(path, account.key()).header("accept", accept).GET().build());
            assertThat(answered.status()).as(accept + " " + answered).isEqualTo(200);
        }
        // A document that is not JSON says so, rather than that answers are JSON.
        Response yaml = api.send(api.request("/v3/api-docs.yaml", null).header("accept", "application/json")
                .GET().build());
        assertRefused(yaml, 406, "this answer is not in a type that Accept allows");
        assertThat(handlers.getMessageConverters())
                .noneMatch(converter -> converter instanceof Jaxb2RootElementHttpMessageConverter);
    }

    @Test
    void aWriteWhoseAcceptAllowsNoJsonIs406BeforeItRuns() {
        // Spring would find out only when writing the answer: after the account was made.
        long events = eventCount();
        for (String path : JSON_POSTS) {
            for (String accept : List.of("text/plain", "application/xml", "application/vnd.api+xml", "nonsense",
                    "text/html, */*;q=0", "application/json;q=0", "application/json;q=0, */*")) {
                Response refused = api.send(api.request(path, ADMIN_KEY).header("content-type", "application/json")
                        .header("accept", accept).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}"))
                        .build());
                assertThat(refused.status()).as(path + " " + accept + " " + refused).isEqualTo(406);
                assertThat(refused.json().path("statusCode").asInt()).isEqualTo(406);
            }
        }
        assertThat(eventCount()).isEqualTo(events);
        for (String accept : List.of("application/json", "application/*", "*/*", "application/*+json",
                "text/xml, application/json;q=0.5", "*/*;q=0, application/json", "application/*;q=0.1, */*;q=0",
                "application/vnd.api+json", "application/hal+json, */*;q=0")) {
            Response made = api.send(api.request("/api/accounts", ADMIN_KEY).header("content-type", "application/json")
                    .header("accept", accept).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Accept\"}"))
                    .build());
            assertThat(made.status()).as(accept + " " + made).isEqualTo(200);
        }
    }

    @Test
    void jsonInAnotherEncodingThanUtf8IsRefusedAndNothingIsStored() throws Exception {
        TestAccount account = newAccount(true);
        long events = eventCount();
        String body = "{\"bankAccountNumber\":\"" + uniqueTestNumber() + "\",\"bankAccountName\":\"Jos\u00e9\"}";
        for (String charset : List.of("UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE")) {
            Response refused = api.send(api.request("/api/bank-accounts", account.key())
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(Charset.forName(charset)))).build());
            assertRefused(refused, 400, "request body must be JSON in UTF-8");
        }
        for (String charset : List.of("ISO-8859-1", "UTF-16", "windows-1252")) {
            Response refused = api.send(api.request("/api/bank-accounts", account.key())
                    .header("content-type", "application/json; charset=" + charset)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(Charset.forName(charset)))).build());
            assertRefused(refused, 415, "content type must be application/json in UTF-8");
        }
        // Two types: Tomcat read the first, where a proxy may read the last. The same one twice is one.
        Response twoTypes = api.send(api.request("/api/bank-accounts", account.key())
                .header("content-type", "application/json").header("content-type", "application/json; charset=utf-16")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertRefused(twoTypes, 400, "Content-Type must be given once (two different types were sent)");
        // A coding is refused, whether the body is encoded or not: before, a plain body declared gzip was taken.
        for (String coding : List.of("gzip", "br", "identity, gzip")) {
            HttpResponse<String> refused = send(api.request("/api/bank-accounts", account.key())
                    .header("content-type", "application/json").header("content-encoding", coding)
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(refused.statusCode()).as(coding + " " + refused.body()).isEqualTo(415);
            assertThat(refused.body()).contains("Content-Encoding is not supported");
            assertThat(refused.headers().firstValue("accept-encoding")).hasValue("identity");
        }
        // A path or method no endpoint takes is answered as such first, whatever the headers.
        HttpResponse<String> getOnly = send(api.request("/api/bank-accounts/" + ID, account.key())
                .header("content-type", "application/json").header("accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(getOnly.statusCode()).as(getOnly.body()).isEqualTo(405);
        assertThat(getOnly.headers().firstValue("allow")).hasValue("GET");
        HttpResponse<String> put = send(api.request("/api/bank-accounts", account.key())
                .header("content-type", "application/json").header("content-encoding", "gzip")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(405);
        assertThat(put.headers().firstValue("accept-encoding")).isEmpty();
        HttpResponse<String> misspelt = send(api.request("/api/bank-acounts", account.key())
                .header("content-type", "*/*").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(misspelt.statusCode()).as(misspelt.body()).isEqualTo(404);
        // An action that reads no body still reads a body it is sent.
        Response settle = api.send(api.request("/api/funds-transfers/" + ID + "/settle", ADMIN_KEY)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray("{}".getBytes(StandardCharsets.UTF_16LE))).build());
        assertRefused(settle, 400, "request body must be JSON in UTF-8");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(bankAccounts(account).size()).isZero();

        // Bytes that are no UTF-8, as a strict proxy in front would read them: overlong forms (which spell ASCII,
        // C0 A2 a quote), a surrogate, past U+10FFFF, a stray continuation byte, a character cut off at the end.
        for (String bytes : List.of("C0BC", "E080AF", "C1A2", "F08082A2", "EDA080", "F4908080", "FF", "80", "E282")) {
            byte[] invalid = HexFormat.of().parseHex(bytes);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            sent.writeBytes(("{\"bankAccountNumber\":\"" + uniqueTestNumber() + "\",\"bankAccountName\":\"x")
                    .getBytes(StandardCharsets.UTF_8));
            sent.writeBytes(invalid);
            sent.writeBytes(bytes.equals("E282") ? new byte[0] : "\"}".getBytes(StandardCharsets.UTF_8));
            Response refused = api.send(api.request("/api/bank-accounts", account.key())
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(sent.toByteArray())).build());
            assertThat(refused.status()).as(bytes + " " + refused).isEqualTo(400);
            assertThat(refused.message()).as(bytes).isEqualTo("request body must be JSON in UTF-8");
        }
        assertThat(eventCount()).isEqualTo(events);
        assertThat(bankAccounts(account).size()).isZero();

        // US-ASCII is UTF-8's first half, and JSON labelled so is read as UTF-8, as any JSON is (RFC 8259).
        Response ascii = api.postRaw("/api/bank-accounts", account.key(), "application/json; charset=US-ASCII",
                "{\"bankAccountNumber\":\"" + uniqueTestNumber() + "\",\"bankAccountName\":\"Jo\u00e9\"}");
        assertThat(ascii.status()).as(ascii.toString()).isEqualTo(200);
        assertThat(ascii.text("bankAccountName")).isEqualTo("Jo\u00e9");
        Response sameTypeTwice = api.send(api.request("/api/bank-accounts", account.key())
                .header("content-type", "application/json").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"bankAccountNumber\":\"" + uniqueTestNumber()
                        + "\",\"bankAccountName\":\"Twice\"}")).build());
        assertThat(sameTypeTwice.status()).as(sameTypeTwice.toString()).isEqualTo(200);
        Response made = api.postRaw("/api/bank-accounts", account.key(), "application/json; charset=utf-8", body);
        assertThat(made.status()).as(made.toString()).isEqualTo(200);
        assertThat(made.text("bankAccountName")).isEqualTo("Jos\u00e9");
    }

    @Test
    void aStringThatIsNotUnicodeIs400NamingItsFieldAndNothingIsStored() {
        TestAccount account = newAccount(true);
        long events = eventCount();
        for (String name : List.of("a\\ud800b", "\\udc00", "a\\ud800", "\\ude00\\ud83d")) {
            Response refused = api.post("/api/bank-accounts", account.key(), "{\"bankAccountNumber\":\""
                    + uniqueTestNumber() + "\",\"bankAccountName\":\"" + name + "\"}");
            assertRefused(refused, 400, "bankAccountName has the wrong type or format");
            assertRefused(api.post("/api/accounts", ADMIN_KEY, "{\"name\":\"" + name + "\"}"), 400,
                    "name has the wrong type or format");
        }
        assertThat(eventCount()).isEqualTo(events);
        // A pair is one character, taken and given back as it came.
        Response paired = api.post("/api/accounts", ADMIN_KEY, "{\"name\":\"a\\ud83d\\ude00b\"}");
        assertThat(paired.status()).isEqualTo(200);
        assertThat(paired.text("name")).isEqualTo("a\uD83D\uDE00b");
        assertThat(api.get("/api/accounts/" + paired.text("id"), ADMIN_KEY).text("name")).isEqualTo("a\uD83D\uDE00b");
    }

    @Test
    void aMalformedBodyIs400OnEveryEndpointThatTakesOne() {
        long events = eventCount();
        for (String path : JSON_POSTS) {
            for (String body : List.of("{", "null", "[]", "\"text\"", "12", "{\"a\":}")) {
                Response refused = api.post(path, ADMIN_KEY, body);
                assertThat(refused.status()).as(path + " " + body + " " + refused).isEqualTo(400);
                assertThat(refused.json().path("statusCode").asInt()).isEqualTo(400);
                assertThat(refused.message()).isNotBlank();
            }
        }
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void aKeyGivenTwiceInABodyIs400AndNothingIsStored() {
        // Something in front of the service that reads the first one would see another request than this one.
        TestAccount account = newAccount(true);
        long events = eventCount();
        assertRefused(api.post("/api/webhook-endpoints", account.key(), "{\"accountId\":\"" + account.id()
                        + "\",\"url\":\"https://93.184.216.34/a\",\"url\":\"https://93.184.216.34/b\"}"), 400,
                "request body has \"url\" more than once");
        assertRefused(api.post("/api/bank-accounts", account.key(), "{\"bankAccountNumber\":\"" + uniqueTestNumber()
                        + "\",\"bankAccountName\":\"A\",\"directDebitAuthority\":{\"fullName\":\"A\",\"fullName\":\"B\"},"
                        + "\"bankAccountName\":\"B\"}"),
                400, "request body has \"fullName\" more than once");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(bankAccounts(account).size()).isZero();
    }

    @Test
    void aFieldTheEndpointDoesNotTakeIs400AndNothingIsStored() {
        // A misspelt "test" would otherwise make a live account where a test one was meant.
        long events = eventCount();
        assertRefused(api.post("/api/accounts", ADMIN_KEY, "{\"name\":\"Typo Ltd\",\"tset\":true}"), 400,
                "unknown field \"tset\" (its object takes name, test)");
        TestAccount account = newAccount(true);
        events = eventCount();
        assertRefused(api.post("/api/bank-accounts", account.key(), "{\"bankAccountNumber\":\"" + uniqueTestNumber()
                        + "\",\"bankAccountName\":\"A\",\"directDebitAuthority\":{\"fullname\":\"A\"}}"), 400,
                "unknown field \"directDebitAuthority.fullname\" (its object takes emailAddress, fullName, phoneNumber)");
        // The client's own text is named only when it could be a field's name.
        assertRefused(api.post("/api/bank-accounts", account.key(), "{\"bankAccountNumber\":\"" + uniqueTestNumber()
                + "\",\"bankAccountName\":\"A\",\"<b>x</b>\":1}"), 400, "request body has a field this endpoint does not take");
        // idempotencyKey is the idempotency filter's, at the top level only.
        assertRefused(api.post("/api/bank-accounts", account.key(), "{\"bankAccountNumber\":\"" + uniqueTestNumber()
                        + "\",\"bankAccountName\":\"A\",\"directDebitAuthority\":{\"idempotencyKey\":\"k\"}}"), 400,
                "unknown field \"directDebitAuthority.idempotencyKey\" (its object takes emailAddress, fullName, phoneNumber)");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(bankAccounts(account).size()).isZero();
        Response created = api.post("/api/bank-accounts", account.key(), "{\"bankAccountNumber\":\"" + uniqueTestNumber()
                + "\",\"bankAccountName\":\"A\",\"idempotencyKey\":\"unknown-field-test\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
    }

    @Test
    void settleRefusesAMalformedBodyAndStillTakesNoneOrAnEmptyObject() {
        TestAccount account = newAccount(false);
        String bankAccountId = createBankAccountWithAuthority(account, "02-0500-0568903-097").text("id");
        List<String> transfers = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Response transfer = api.post("/api/funds-transfers", account.key(),
                    ApiClient.map("bankAccountId", bankAccountId, "type", "topup", "amount", "100"));
            assertThat(transfer.status()).as(transfer.toString()).isEqualTo(200);
            transfers.add(transfer.text("id"));
        }
        String path = "/api/funds-transfers/" + transfers.get(0) + "/settle";
        for (String body : List.of("{", "null", "[]", "{}{}", "{} 1")) {
            assertRefused(api.post(path, ADMIN_KEY, body), 400, body.startsWith("{") ? "request body is not valid JSON"
                    : "request body must be a JSON object");
        }
        assertRefused(api.post(path, ADMIN_KEY, "{\"a\":1,\"a\":2}"), 400, "request body has \"a\" more than once");
        assertRefused(api.postRaw(path, ADMIN_KEY, "text/plain", "{}"), 415, "content type must be application/json");
        // It takes no field: {"dryRun": true} would settle for real.
        assertRefused(api.post(path, ADMIN_KEY, "{\"dryRun\":true}"), 400,
                "unknown field \"dryRun\" (its object takes no field)");

        // Not settled by any of those: the first settlement is this one.
        Response settled = api.post(path, ADMIN_KEY, null);
        assertThat(settled.status()).as(settled.toString()).isEqualTo(200);
        assertRefused(api.post(path, ADMIN_KEY, null), 403, "FUNDS_TRANSFER_ALREADY_SETTLED");
        Response withEmptyObject = api.post("/api/funds-transfers/" + transfers.get(1) + "/settle", ADMIN_KEY, "{}");
        assertThat(withEmptyObject.status()).as(withEmptyObject.toString()).isEqualTo(200);
        Response withKey = api.post("/api/funds-transfers/" + transfers.get(2) + "/settle", ADMIN_KEY,
                "{\"idempotencyKey\":\"settle-" + transfers.get(2) + "\"}");
        assertThat(withKey.status()).as(withKey.toString()).isEqualTo(200);
    }

    @Test
    void whatTomcatRefusesBeforeTheApplicationIsTheErrorFormat() throws IOException {
        String longPath = "/api/bank-accounts/" + "a".repeat(20_000);
        List<byte[]> requests = List.of(
                request("/api/accounts/" + ID, "x-api-key: ab\u0000cd"),
                request("/api/accounts/" + ID, "x-api-key: ab\u0001cd"),
                request("/api/accounts/" + ID, "x-api-key: ab\u007fcd"),
                request("/api/bank-accounts/%00", null),
                request("/api/bank-accounts/a%2Fb", null),
                request("/api/bank-accounts/..%2Fx", null),
                request("/api/bank-accounts/%zz", null),
                request("/api/bank-accounts/%C3%28", null),
                request("/api/bank-accounts/%ff", null),
                request("/api/bank-accounts/a;b=c", null),
                request(longPath, null),
                concat("GET /api/bank-accounts/".getBytes(StandardCharsets.ISO_8859_1), new byte[] {(byte) 0xff, 'x'},
                        " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)),
                // Tomcat's 505 and 501: the client's doing, so 400 here.
                "GET /api/accounts HTTP/2.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
                ("POST /api/bank-accounts HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n"
                        + "Content-Type: application/json\r\nConnection: close\r\n\r\n{}")
                        .getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] request : requests) {
            String shown = new String(request, 0, Math.min(request.length, 60), StandardCharsets.ISO_8859_1);
            String raw = send(request);
            assertThat(raw).as(shown).startsWith("HTTP/1.1 400");
            String head = raw.substring(0, raw.indexOf("\r\n\r\n")).toLowerCase();
            assertThat(head).as(shown).contains("content-type: application/json")
                    .contains("cache-control: no").contains("x-content-type-options: nosniff")
                    .containsPattern("x-request-id: [0-9a-f-]{36}");
            JsonNode body = ApiClient.JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
            assertThat(body.path("statusCode").asInt()).as(shown).isEqualTo(400);
            assertThat(body.path("error").asString()).as(shown).isEqualTo("Bad Request");
            assertThat(body.path("message").asString()).as(shown).isNotBlank();
            assertThat(head).as(shown).contains("x-request-id: " + body.path("requestId").asString());
        }
    }

    @Test
    void aBodyOverTheLimitIs413WhetherItsLengthIsDeclaredOrNotAndNothingIsStored() throws IOException {
        long events = eventCount();
        String name = "x".repeat(1024 * 1024);
        byte[] body = ("{\"bankAccountName\":\"" + name + "\"}").getBytes(StandardCharsets.US_ASCII);
        String declared = send(concat(post("Content-Length: " + body.length), body));
        assertThat(declared).startsWith("HTTP/1.1 413").contains("request body must not exceed 1048576 bytes");
        String chunked = send(concat(post("Transfer-Encoding: chunked"), chunked(body)));
        assertThat(chunked).startsWith("HTTP/1.1 413").contains("request body must not exceed 1048576 bytes");
        // A length beside a chunked body is not believed: the chunks are counted.
        String both = send(concat(post("Content-Length: 10\r\nTransfer-Encoding: chunked"), chunked(body)));
        assertThat(both).startsWith("HTTP/1.1 413").contains("request body must not exceed 1048576 bytes");
        // Under the limit, a chunked body reaches the endpoint.
        String small = send(concat(post("Transfer-Encoding: chunked"), chunked("{}".getBytes(StandardCharsets.US_ASCII))));
        assertThat(small).startsWith("HTTP/1.1 400").contains("is required");
        assertThat(eventCount()).isEqualTo(events);
    }

    private static byte[] post(String framing) {
        return ("POST /api/bank-accounts HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + ADMIN_KEY + "\r\n"
                + "Content-Type: application/json\r\n" + framing + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int from = 0; from < body.length; from += 65_536) {
            int length = Math.min(65_536, body.length - from);
            out.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, from, length);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void anHttp09RequestIsRefusedAsAnyOtherVersionIs() throws Exception {
        // A request line without a version: its answer can carry no status line nor headers, only this body.
        for (String path : List.of("/actuator/health", "/v3/api-docs", "/api/accounts/" + ID, "/sandbox/sign-in")) {
            String raw = send(("GET " + path + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertThat(SecurityChainTest.withoutRequestId(raw)).as(path).isEqualTo("{\"statusCode\":400,"
                    + "\"error\":\"Bad Request\",\"message\":\"HTTP version is not supported (only HTTP/1.0 and 1.1)\"}");
        }
    }

    @Test
    void everyApiAnswerIsNotToBeStoredNorSniffed() throws Exception {
        TestAccount account = newAccount(true);
        List<HttpResponse<String>> answers = List.of(
                send(api.request("/api/accounts/" + account.id(), account.key()).GET()),
                send(api.request("/api/accounts/" + account.id(), null).GET()),
                send(api.request("/api/accounts/" + ID, account.key()).GET()),
                send(api.request("/api/admin/projections", account.key()).GET()),
                send(api.request("/api/bank-accounts", account.key()).header("content-type", "*/*")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))),
                send(api.request("/api/bank-accounts", account.key()).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{"))),
                send(api.request("/api/accounts;x=y", account.key()).GET()));
        for (HttpResponse<String> answer : answers) {
            HttpHeaders headers = answer.headers();
            String what = answer.request().method() + " " + answer.uri() + " " + answer.statusCode();
            assertThat(headers.firstValue("cache-control")).as(what).hasValueSatisfying(
                    value -> assertThat(value).contains("no-store"));
            assertThat(headers.allValues("x-content-type-options")).as(what).containsExactly("nosniff");
            assertThat(headers.firstValue("content-type")).as(what).hasValueSatisfying(
                    value -> assertThat(value).startsWith("application/json"));
            assertThat(answer.statusCode()).as(what).isLessThan(500);
        }
    }

    @Test
    void aMethodTomcatRefusesIsTheErrorFormatWithItsRequestId() throws Exception {
        for (String path : List.of("/api/accounts", "/no-such-page", "/sandboxes", "/administrator",
                "/sandbox/%2e%2e/api/accounts")) {
            HttpResponse<String> refused = send(api.request(path, ADMIN_KEY).setHeader("X-Request-Id", "trace-1")
                    .method("TRACE", HttpRequest.BodyPublishers.noBody()));
            assertThat(refused.statusCode()).as(path).isEqualTo(405);
            assertThat(refused.headers().allValues("x-request-id")).as(path).containsExactly("trace-1");
            assertThat(refused.headers().firstValue("cache-control")).as(path).hasValueSatisfying(
                    value -> assertThat(value).contains("no-store"));
            assertThat(refused.headers().allValues("x-content-type-options")).as(path).containsExactly("nosniff");
            JsonNode body = ApiClient.JSON.readTree(refused.body());
            assertThat(body.path("statusCode").asInt()).isEqualTo(405);
            assertThat(body.path("error").asString()).isEqualTo("Method Not Allowed");
            assertThat(body.path("message").asString()).isEqualTo("method is not supported here");
            assertThat(body.path("requestId").asString()).isEqualTo("trace-1");
        }
    }

    /**
     * The browser pages answer the same refusal with a page of their own, as they answer their other 405s, and with
     * the headers their security chain gives them (which an error dispatch does not pass).
     */
    @Test
    void aMethodTomcatRefusesOnAPageIsThatPagesAnswer() throws Exception {
        // A path is read as Tomcat maps it: a TRACE of "/%73andbox/..." is a sandbox page's (the firewall refuses
        // any other method of an encoded path, so the page's headers are those of its plain path).
        for (String path : List.of("/sandbox/sign-in", "/admin/approvals", "/admin", "/%73andbox/sign-in")) {
            HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(api.url(path)))
                    .setHeader("X-Request-Id", "trace-2").method("TRACE", HttpRequest.BodyPublishers.noBody()));
            HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(api.url(URI.create(path).getPath())))
                    .GET());
            assertThat(refused.statusCode()).as(path).isEqualTo(405);
            assertThat(refused.headers().firstValue("content-type")).as(path).hasValueSatisfying(
                    value -> assertThat(value).startsWith("text/html"));
            assertThat(refused.body()).as(path).contains("<h1>Not available</h1>");
            assertThat(refused.headers().firstValue("allow")).as(path).isPresent();
            assertThat(refused.headers().allValues("x-request-id")).as(path).containsExactly("trace-2");
            assertThat(refused.headers().allValues("x-content-type-options")).as(path).containsExactly("nosniff");
            assertThat(refused.headers().firstValue("cache-control")).as(path).hasValueSatisfying(
                    value -> assertThat(value).contains("no-store"));
            for (String header : List.of("content-security-policy", "x-frame-options", "referrer-policy")) {
                assertThat(page.headers().allValues(header)).as(path + " " + header).hasSize(1);
                assertThat(refused.headers().allValues(header)).as(path + " " + header)
                        .isEqualTo(page.headers().allValues(header));
            }
        }
    }

    /** A path's 405 names the methods it takes. */
    @Test
    void aMethodThePathDoesNotTakeIs405WithTheMethodsItDoes() throws Exception {
        HttpResponse<String> refused = send(api.request("/api/accounts", ADMIN_KEY)
                .method("DELETE", HttpRequest.BodyPublishers.noBody()));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(405);
        assertThat(refused.headers().firstValue("allow")).hasValueSatisfying(
                allow -> assertThat(allow.split(",\\s*")).contains("POST").doesNotContain("DELETE"));
        assertThat(ApiClient.JSON.readTree(refused.body()).path("message").asString())
                .isEqualTo("DELETE is not supported here");
    }

    /**
     * A method nothing here takes is a 405 naming the path's methods, on the API and on the pages. Before, the
     * firewall answered 400 "request URL is not allowed", blaming the URL.
     */
    @Test
    void anUnknownMethodIs405WithTheMethodsThePathTakes() throws Exception {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);
        for (String method : List.of("FOO", "PROPFIND")) {
            HttpResponse<String> refused = send(api.request("/api/bank-accounts/" + bankAccountId, account.key())
                    .method(method, HttpRequest.BodyPublishers.noBody()));
            assertThat(refused.statusCode()).as(method + " " + refused.body()).isEqualTo(405);
            assertThat(refused.headers().firstValue("allow")).as(method).hasValueSatisfying(
                    allow -> assertThat(allow.split(",\\s*")).contains("GET").doesNotContain(method));
            assertThat(ApiClient.JSON.readTree(refused.body()).path("message").asString())
                    .isEqualTo(method + " is not supported here");
        }
        HttpResponse<String> health = send(api.request("/actuator/health", null)
                .method("FOO", HttpRequest.BodyPublishers.noBody()));
        assertThat(health.statusCode()).as(health.body()).isEqualTo(405);
        // A page's form without its CSRF token, as any method but GET, HEAD, OPTIONS and TRACE is there.
        for (String path : List.of("/sandbox/consent?state=x", "/admin/login")) {
            HttpResponse<String> refused = send(api.request(path, null)
                    .method("FOO", HttpRequest.BodyPublishers.noBody()));
            assertThat(refused.statusCode()).as(path + " " + refused.body()).isEqualTo(403);
            assertThat(refused.body()).as(path).contains("<h1>Request refused</h1>");
        }
    }

    /** Tomcat's 501 for a method the servlet API does not know: a method this server does not allow, 405. */
    @Test
    void connectIsAMethodNotAllowed() throws IOException {
        for (String target : List.of("/api/accounts", "localhost:443")) {
            String raw = send(("CONNECT " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(raw).as(target).startsWith("HTTP/1.1 405");
            assertThat(raw.substring(0, raw.indexOf("\r\n\r\n")).toLowerCase()).as(target)
                    .contains("\r\nallow: head, delete, post, get, options, put");
            JsonNode body = ApiClient.JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
            assertThat(body.path("message").asString()).isEqualTo("method is not supported here");
        }
    }

    /**
     * Parameters Tomcat cannot decode, or whose name the security firewall refuses when it is read, answer 400 wherever
     * they are read (a controller, the actuator, a page), and a url-encoded body on PUT or DELETE is never parsed.
     */
    @Test
    void parametersThatCannotBeReadAre400Everywhere() throws Exception {
        TestAccount account = newAccount(true);
        // Sent raw: an HTTP client refuses to send such a URL.
        for (String path : List.of("/api/accounts/" + account.id() + "/funds-transfers?pageKey=%ZZ",
                "/api/accounts/" + account.id() + "/funds-transfers?pageKey=%", "/api/bank-authorities?x=%E9",
                "/actuator/health/readiness?x=%ZZ", "/sandbox/consent?state=%ZZ", "/swagger-ui.html?x=%ZZ",
                "/admin?status=%C3")) {
            String raw = send(request(path, null));
            assertThat(raw).as(path).startsWith("HTTP/1.1 400");
            assertThat(ApiClient.JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4)).path("message").asString())
                    .as(path).isEqualTo("request parameters are not valid: a bad %-escape or invalid UTF-8");
        }
        assertRefused(api.get("/actuator/health?a%01b=1", null), 400,
                "parameter names must not contain control characters");
        HttpResponse<String> form = send(api.request("/api/bank-accounts", account.key())
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a%01b=1")));
        assertThat(form.statusCode()).as(form.body()).isEqualTo(400);
        assertThat(form.body()).contains("parameter names must not contain control characters");
        // Over Tomcat's 2 MB, a form is left unparsed: too large, not undecodable.
        HttpResponse<String> tooLarge = send(api.request("/sandbox/sign-in?state=s", null)
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + "a".repeat(2 * 1024 * 1024 + 1))));
        assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("form body must not exceed 2097152 bytes");
        for (String method : List.of("PUT", "DELETE")) {
            HttpResponse<String> answer = send(api.request("/actuator/health", null)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString("a=%ZZ")));
            assertThat(answer.statusCode()).as(method + " " + answer.body()).isEqualTo(405);
        }
        // One value each: Spring would join two with a comma.
        assertRefused(api.get("/api/accounts/" + account.id() + "/funds-transfers?pageKey=a&pageKey=b", account.key()),
                400, "parameter 'pageKey' must be given once");
        // The actuator's own parameters take several values.
        assertThat(api.get("/actuator/health?x=1&x=2", null).status()).isEqualTo(200);
        // The error page is no page of its own.
        assertRefused(api.get("/error", null), 404, "NOT_FOUND");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] request(String path, String header) {
        return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + ADMIN_KEY + "\r\n"
                + (header == null ? "" : header + "\r\n") + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private String send(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
