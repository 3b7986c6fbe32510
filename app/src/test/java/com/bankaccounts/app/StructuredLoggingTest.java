package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The lines LOGGING_STRUCTURED_FORMAT_CONSOLE=logstash writes (captured by {@link JsonLogCapture}): JSON, and a
 * request's lines carry its id.
 */
class StructuredLoggingTest extends ApiTestSupport {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aRequestsLinesAreJsonWithItsRequestIdAndOneAccessLine() throws Exception {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);

        // A line written in the middle of the request, by a filter that knows nothing of request ids.
        Logger security = (Logger) LoggerFactory.getLogger("org.springframework.security.web.FilterChainProxy");
        Level securityLevel = security.getLevel();
        security.setLevel(Level.DEBUG);
        List<String> lines;
        HttpResponse<String> answer;
        try (JsonLogCapture capture = JsonLogCapture.start()) {
            lines = capture.lines();
            answer = HttpClient.newHttpClient().send(
                    api.request("/api/bank-accounts/" + bankAccountId, account.key())
                            .header("X-Request-Id", "structured-test-1").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } finally {
            security.setLevel(securityLevel);
        }
        assertThat(answer.statusCode()).isEqualTo(200);

        List<JsonNode> ofTheRequest = lines.stream().map(json::readTree)
                .filter(line -> "structured-test-1".equals(line.path("requestId").asString(null)))
                .toList();
        assertThat(ofTheRequest).anySatisfy(line -> assertThat(line.path("logger_name").asString())
                .isEqualTo("org.springframework.security.web.FilterChainProxy"));
        JsonNode access = ofTheRequest.stream().filter(line -> "access".equals(line.path("logger_name").asString(null)))
                .findFirst().orElseThrow(() -> new AssertionError("no access line in " + lines));
        assertThat(access.path("http.method").asString()).isEqualTo("GET");
        assertThat(access.path("http.route").asString()).isEqualTo("/api/bank-accounts/{bankAccountId}");
        assertThat(access.path("http.status").asInt()).isEqualTo(200);
        assertThat(access.path("account").asString()).isEqualTo(account.id());
        assertThat(access.has("duration.ms")).isTrue();
        // Every line the request's thread wrote while it ran carries the id.
        String thread = access.path("thread_name").asString();
        assertThat(lines.stream().map(json::readTree).filter(line -> thread.equals(line.path("thread_name").asString(null))))
                .allSatisfy(line -> assertThat(line.path("requestId").asString(null)).isEqualTo("structured-test-1"));
        // The key travels in a header the log never reads.
        assertThat(lines).noneMatch(line -> line.contains(account.key()));
    }
}
