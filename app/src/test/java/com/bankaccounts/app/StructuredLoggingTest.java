package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** With LOGGING_STRUCTURED_FORMAT_CONSOLE=logstash every line is JSON, and a request's lines carry its id. */
@TestPropertySource(properties = {"logging.structured.format.console=logstash",
        // A line written in the middle of the request, by a filter that knows nothing of request ids.
        "logging.level.org.springframework.security.web.FilterChainProxy=DEBUG"})
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingTest extends ApiTestSupport {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aRequestsLinesAreJsonWithItsRequestIdAndOneAccessLine(CapturedOutput output) throws Exception {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);
        int before = output.getOut().length();

        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                api.request("/api/bank-accounts/" + bankAccountId, account.key())
                        .header("X-Request-Id", "structured-test-1").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);

        List<JsonNode> lines = output.getOut().substring(before).lines()
                .filter(line -> line.startsWith("{"))
                .map(json::readTree)
                .filter(line -> "structured-test-1".equals(line.path("requestId").asString(null)))
                .toList();
        JsonNode access = lines.stream().filter(line -> "access".equals(line.path("logger_name").asString(null)))
                .findFirst().orElseThrow(() -> new AssertionError("no access line in " + output.getOut()));
        assertThat(lines).anySatisfy(line -> assertThat(line.path("logger_name").asString())
                .isEqualTo("org.springframework.security.web.FilterChainProxy"));
        assertThat(access.path("http.method").asString()).isEqualTo("GET");
        assertThat(access.path("http.route").asString()).isEqualTo("/api/bank-accounts/{bankAccountId}");
        assertThat(access.path("http.status").asInt()).isEqualTo(200);
        assertThat(access.path("account").asString()).isEqualTo(account.id());
        assertThat(access.has("duration.ms")).isTrue();
        // The key travels in a header the log never reads.
        assertThat(output.getOut()).doesNotContain(account.key()).doesNotContain(ADMIN_KEY);
    }
}
