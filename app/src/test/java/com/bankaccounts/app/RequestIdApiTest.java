package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.platform.testing.ApiClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** X-Request-Id: kept when well formed, else replaced; on every answer, in error bodies, log lines and event metadata. */
class RequestIdApiTest extends ApiTestSupport {

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> get(String path, String key, String requestId) throws Exception {
        HttpRequest.Builder request = api.request(path, key).GET();
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWellFormedIdIsAnsweredBackAndAnyOtherIsReplacedByANewOne() throws Exception {
        TestAccount account = newAccount(true);
        String longest = "a".repeat(120) + "-._Z0189";
        for (String kept : List.of("abc", "A.b_c-9", longest)) {
            HttpResponse<String> answer = get("/api/accounts/" + account.id(), account.key(), kept);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().allValues("x-request-id")).containsExactly(kept);
        }
        for (String replaced : List.of("a".repeat(129), "has space", "semi;colon", "slash/", "a+b", "a\"b", "a,b")) {
            HttpResponse<String> answer = get("/api/accounts/" + account.id(), account.key(), replaced);
            assertThat(answer.statusCode()).as(replaced).isEqualTo(200);
            assertThat(answer.headers().firstValue("x-request-id")).as(replaced).hasValueSatisfying(
                    id -> assertThat(id).matches(UUID));
        }
        HttpResponse<String> none = get("/api/accounts/" + account.id(), account.key(), null);
        assertThat(none.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).matches(UUID));
        assertThat(get("/api/accounts/" + account.id(), account.key(), null).headers().firstValue("x-request-id"))
                .isNotEqualTo(none.headers().firstValue("x-request-id"));
    }

    @Test
    void errorsAnswerTheIdInTheHeaderAndTheBody() throws Exception {
        TestAccount account = newAccount(true);
        List<HttpResponse<String>> errors = List.of(
                get("/api/accounts/" + account.id(), null, "err-401-missing"),
                get("/api/accounts/" + account.id(), "no-such-key", "err-401-invalid"),
                get("/api/admin/projections", account.key(), "err-403"),
                get("/api/bank-accounts/WRhAxxWpTKb5U7pXyxQjjY", account.key(), "err-404"),
                get("/no-such-page", null, "err-404-outside"),
                http.send(api.request("/api/bank-accounts", account.key()).header("X-Request-Id", "err-400")
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{")).build(), HttpResponse.BodyHandlers.ofString()),
                http.send(api.request("/api/bank-accounts", account.key()).header("X-Request-Id", "err-415")
                        .header("content-type", "*/*")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()));
        for (HttpResponse<String> error : errors) {
            String id = error.request().headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(error.statusCode()).as(id).isBetween(400, 499);
            assertThat(error.headers().allValues("x-request-id")).as(id).containsExactly(id);
            JsonNode body = json.readTree(error.body());
            assertThat(body.path("requestId").asString()).as(error.body()).isEqualTo(id);
            assertThat(body.path("statusCode").asInt()).isEqualTo(error.statusCode());
        }
    }

    @Test
    void theEventsARequestMadeCarryItsIdAndItsCaller() throws Exception {
        TestAccount account = newAccount(true);
        HttpResponse<String> created = http.send(api.request("/api/bank-accounts", account.key())
                .header("X-Request-Id", "create-request-7").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ApiClient.JSON.writeValueAsString(ApiClient.map(
                        "bankAccountNumber", uniqueTestNumber(), "bankAccountName", "John Doe"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String bankAccountId = json.readTree(created.body()).path("id").asString();

        List<String> metaData = jdbc.sql("SELECT convert_from(meta_data, 'UTF8') FROM domain_event_entry"
                        + " WHERE aggregate_identifier = ? ORDER BY sequence_number")
                .param(bankAccountId).query(String.class).list();
        assertThat(metaData).isNotEmpty().allSatisfy(row -> {
            JsonNode meta = json.readTree(row);
            assertThat(meta.path("requestId").asString()).isEqualTo("create-request-7");
            assertThat(meta.path("principal").asString()).isEqualTo(crn(account));
        });
    }

    @Test
    void everyLineARequestWritesCarriesItsIdAndATraceparentsTraceId() throws Exception {
        TestAccount account = newAccount(true);
        List<String> lines;
        try (JsonLogCapture capture = JsonLogCapture.start()) {
            lines = capture.lines();
            http.send(api.request("/api/accounts/" + account.id(), account.key())
                    .header("X-Request-Id", "logged-ok-1")
                    .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            get("/api/accounts/" + account.id(), "no-such-key", "logged-401-1");
            // A 401 is complete before its access line is written (it closes the body), so wait for the line.
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(line ->
                    line.contains("\"logger_name\":\"access\"") && line.contains("logged-401-1")));
        }
        List<JsonNode> parsed = lines.stream().map(json::readTree).toList();
        JsonNode ok = access(parsed, "logged-ok-1");
        assertThat(ok.path("http.status").asInt()).isEqualTo(200);
        assertThat(ok.path("traceId").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(access(parsed, "logged-401-1").path("http.status").asInt()).isEqualTo(401);
        // Refused by a filter before any handler: still named by its route template.
        assertThat(access(parsed, "logged-401-1").path("http.route").asString())
                .isEqualTo("/api/accounts/{accountId}");
        assertThat(ok.path("http.route").asString()).isEqualTo("/api/accounts/{accountId}");
        // Every line the serving threads wrote for those two requests names one of them.
        for (JsonNode access : List.of(ok, access(parsed, "logged-401-1"))) {
            String thread = access.path("thread_name").asString();
            assertThat(parsed.stream().filter(line -> thread.equals(line.path("thread_name").asString(null))))
                    .allSatisfy(line -> assertThat(line.path("requestId").asString(null))
                            .isIn("logged-ok-1", "logged-401-1"));
        }
    }

    private static JsonNode access(List<JsonNode> lines, String requestId) {
        return lines.stream()
                .filter(line -> "access".equals(line.path("logger_name").asString(null)))
                .filter(line -> requestId.equals(line.path("requestId").asString(null)))
                .findFirst().orElseThrow(() -> new AssertionError("no access line for " + requestId + " in " + lines));
    }
}
