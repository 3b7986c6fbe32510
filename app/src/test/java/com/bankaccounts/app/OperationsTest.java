package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.platform.testing.ApiClient.Response;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.actuate.endpoint.web.AbstractWebMvcEndpointHandlerMapping;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.support.ServletRequestHandledEvent;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/** What an operator reaches: Prometheus with Axon's metrics for the admin key, the probes, health details. */
class OperationsTest extends ApiTestSupport {

    @Autowired
    private ConfigurableApplicationContext context;
    @Autowired
    private ServletContext servletContext;

    @Test
    void aRequestPublishesNoRequestHandledEvent() {
        List<ServletRequestHandledEvent> published = new CopyOnWriteArrayList<>();
        ApplicationListener<ServletRequestHandledEvent> listener = published::add;
        context.addApplicationListener(listener);
        try {
            assertThat(api.get("/api/bank-accounts/" + "x".repeat(22), newAccount(true).key()).status())
                    .isEqualTo(404);
            // Spring publishes it after the answer has gone out, if at all.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(published::isEmpty);
        } finally {
            context.removeApplicationListener(listener);
        }
    }

    @Test
    void theActuatorIsAskedAfterTheApplicationsControllersWhichAnswerNoneOfItsPaths() throws Exception {
        RequestMappingHandlerMapping application =
                context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        Collection<AbstractWebMvcEndpointHandlerMapping> actuator =
                context.getBeansOfType(AbstractWebMvcEndpointHandlerMapping.class).values();
        assertThat(actuator).isNotEmpty().allSatisfy(mapping ->
                assertThat(mapping.getOrder()).isGreaterThan(application.getOrder()));
        for (String path : List.of("/actuator", "/actuator/health", "/actuator/health/readiness",
                "/actuator/prometheus", "/actuator/info", "/actuator/health/x/y")) {
            for (String method : List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
                MockHttpServletRequest request = new MockHttpServletRequest(method, path);
                ServletRequestPathUtils.parseAndCache(request);
                assertThat(application.getHandler(request)).as(method + " " + path).isNull();
            }
        }
    }

    @Test
    void noFilterRunsWhereItHasNothingToDo() {
        Map<String, ? extends FilterRegistration> filters = servletContext.getFilterRegistrations();
        // Spring MVC's servlet sets the request's thread-locals itself; no filter reads them before it.
        assertThat(filters.values()).noneMatch(filter -> filter.getClassName().contains("RequestContextFilter"));
        // Links to static resources are rewritten only where there can be any: in the pages.
        assertThat(filters.values()).filteredOn(filter -> filter.getClassName().contains("ResourceUrlEncodingFilter"))
                .singleElement().satisfies(filter -> assertThat(filter.getUrlPatternMappings())
                        .containsExactlyInAnyOrder("/sandbox/*", "/admin/*"));
    }

    @Test
    void prometheusIsForTheAdminKeyOnly() {
        assertRefused(api.get("/actuator/prometheus", null), 401, "API_KEY_REQUIRED");
        assertRefused(api.get("/actuator/prometheus", newAccount(true).key()), 403, "ADMIN_KEY_REQUIRED");
        assertThat(api.get("/actuator/prometheus", ADMIN_KEY).status()).isEqualTo(200);
    }

    @Test
    void prometheusShowsAxonsMetricsHttpRoutesAndThePoolAfterACommand() {
        newBankAccount(newAccount(true));

        String metrics = api.get("/actuator/prometheus", ADMIN_KEY).body();

        // Axon: command handling by command, the event store's appends, the event processors.
        assertThat(metrics).containsPattern("(?m)^commandBus_\\w+\\{[^}]*payloadType=\"CreateBankAccountCommand\"");
        // ... which are also the business counts: bank accounts created.
        assertThat(metrics).containsPattern(
                "(?m)^eventStore_successTimer_seconds_count\\{[^}]*payloadType=\"BankAccountCreatedEvent\"} [1-9]");
        // The buses and the store: timers only, whose counts Axon's counters would repeat (no capacity either).
        assertThat(metrics).containsPattern(
                "(?m)^commandBus_successTimer_seconds_count\\{[^}]*payloadType=\"CreateBankAccountCommand\"} [1-9]");
        assertThat(metrics).containsPattern("(?m)^queryBus_successTimer_seconds_count\\{");
        assertThat(metrics).doesNotContainPattern("(?m)^(commandBus|queryBus|eventStore)_\\w*(Counter|capacity)");
        // The processors that track the store; those in the command's transaction count in commandBus_*.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.get("/actuator/prometheus",
                ADMIN_KEY).body()).containsPattern("(?m)^\\w+\\{[^}]*processor(Name)?=\"webhook-deliveries\""));
        assertThat(metrics).doesNotContainPattern("processor(Name)?=\"bank-accounts\"");
        // HTTP by route template and status, never by the path with its ids.
        assertThat(metrics).containsPattern(
                "(?m)^http_server_requests_seconds_count\\{[^}]*status=\"200\"[^}]*uri=\"/api/bank-accounts\"");
        assertThat(metrics).doesNotContainPattern("uri=\"/api/accounts/[A-Za-z0-9]{22}");
        assertThat(metrics).contains("hikaricp_connections_active");
    }

    @Test
    void probesAreOnAndHealthDetailsAreForTheAdminKeyOnly() {
        assertThat(api.get("/actuator/health/liveness", null).body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(api.get("/actuator/health/readiness", null).body()).isEqualTo("{\"status\":\"UP\"}");
        // The probes' group names, and no details, without the admin key.
        String bare = "{\"groups\":[\"liveness\",\"readiness\"],\"status\":\"UP\"}";
        assertThat(api.get("/actuator/health", null).body()).isEqualTo(bare);
        assertThat(api.get("/actuator/health", newAccount(true).key()).body()).isEqualTo(bare);

        Response detailed = api.get("/actuator/health", ADMIN_KEY);
        assertThat(detailed.json().get("components").has("db")).as(detailed.toString()).isTrue();
        assertThat(detailed.json().get("components").has("eventProcessors")).as(detailed.toString()).isTrue();
        Response readiness = api.get("/actuator/health/readiness", ADMIN_KEY);
        assertThat(readiness.json().get("components").properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactlyInAnyOrder("db", "eventProcessors", "readinessState");
    }

    @Test
    void aHealthPartNotShownIsANotFoundInTheErrorFormat() throws IOException, InterruptedException {
        // Unknown to anyone, or a component's details without the admin key: the actuator's bare 404 gets a body.
        for (String key : java.util.Arrays.asList(null, ADMIN_KEY)) {
            assertRefused(api.get("/actuator/health/x", key), 404, "NOT_FOUND");
        }
        HttpResponse<String> typed = HttpClient.newHttpClient().send(api.request("/actuator/health/x", null).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(typed.headers().firstValue("Content-Type")).hasValue("application/json");
        assertRefused(api.get("/actuator/health/db", null), 404, "NOT_FOUND");
        assertRefused(api.get("/actuator/health/liveness/x", null), 404, "NOT_FOUND");
        assertThat(api.get("/actuator/health/db", ADMIN_KEY).status()).isEqualTo(200);
    }

    @Test
    void aKeptAliveConnectionServesAThousandRequestsBeforeItIsClosed() throws IOException {
        byte[] request = "HEAD /actuator/health/liveness HTTP/1.1\r\nHost: localhost\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int answer = 1; answer <= 1000; answer++) {
                out.write(request);
                out.flush();
                String head = readHead(in).toLowerCase(Locale.ROOT);
                assertThat(head).as("answer %d", answer).startsWith("http/1.1 200");
                assertThat(head.contains("\r\nconnection: close")).as("answer %d closes", answer)
                        .isEqualTo(answer == 1000);
            }
        }
    }

    /** An answer's status line and headers (a HEAD answer has no body). */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void everyAnswerCarriesItsRequestIdAndKeepsASafeOneGiven() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<Void> given = http.send(api.request("/actuator/health", null)
                .header("X-Request-Id", "lb-1234.abc").GET().build(), HttpResponse.BodyHandlers.discarding());
        assertThat(given.headers().firstValue("X-Request-Id")).hasValue("lb-1234.abc");

        HttpResponse<Void> forged = http.send(api.request("/actuator/health", null)
                .header("X-Request-Id", "x\" injected").GET().build(), HttpResponse.BodyHandlers.discarding());
        assertThat(forged.headers().firstValue("X-Request-Id")).hasValueSatisfying(id ->
                assertThat(id).matches("[0-9a-f-]{36}"));
    }
}
