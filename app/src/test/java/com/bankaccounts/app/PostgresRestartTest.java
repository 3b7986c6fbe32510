package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import com.bankaccounts.query.QuerySideApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL stops and starts again while writes run: the server answers 503 in the error format meanwhile, and its
 * readiness is down; it recovers by itself soon after; no acknowledged write is lost; the read model equals the
 * event store; a query-side process's streaming processors resume and follow the stream to its head.
 */
@SpringBootTest(classes = BankAccountsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.admin-api-key=" + ApiTestSupport.ADMIN_KEY,
                "app.token-encryption-key=" + ApiTestSupport.TOKEN_KEY,
                "app.rate-limit.requests-per-minute=0", "app.rate-limit.unauthenticated-per-minute=0",
                "spring.datasource.hikari.connection-timeout=1000", "spring.datasource.hikari.maximum-pool-size=5",
                // Room for every write of the test in one account.
                "app.bank-accounts.max-per-account=1000000"})
@DirtiesContext
class PostgresRestartTest {

    private static OwnPostgres postgres;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void ownPostgres(DynamicPropertyRegistry registry) throws Exception {
        postgres = OwnPostgres.initAndStart();
        registry.add("spring.datasource.url", postgres::url);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }

    @AfterAll
    static void removePostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theServiceRidesOutARestartOfPostgres() throws Exception {
        ApiClient api = new ApiClient(port);
        Response account = api.post("/api/accounts", ApiTestSupport.ADMIN_KEY, ApiClient.map("name", "Acme", "test", true));
        String accountId = account.text("id");
        String key = api.post("/api/accounts/" + accountId + "/api-keys", ApiTestSupport.ADMIN_KEY,
                ApiClient.map("name", "k", "role", "account-owner")).text("secret");

        // A query-side process beside it, whose read models track the event store (pooled streaming processors).
        ConfigurableApplicationContext querySide = new SpringApplicationBuilder(QuerySideApplication.class)
                .profiles("query-only")
                .run("--server.port=0", "--app.admin-api-key=" + ApiTestSupport.ADMIN_KEY,
                        "--app.token-encryption-key=" + ApiTestSupport.TOKEN_KEY,
                        "--spring.datasource.url=" + postgres.url(), "--spring.datasource.username=postgres",
                        "--spring.datasource.password=", "--spring.datasource.hikari.connection-timeout=1000",
                        // It reads back every acknowledged write: more than a minute's allowance of one key.
                        "--app.rate-limit.requests-per-minute=0");
        try {
            ridesOutARestart(api, accountId, key, new ApiClient(Integer.parseInt(
                    querySide.getEnvironment().getRequiredProperty("local.server.port"))));
        } finally {
            querySide.close();
        }
    }

    private void ridesOutARestart(ApiClient api, String accountId, String key, ApiClient queryNode) throws Exception {
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Response> refused = new ConcurrentLinkedQueue<>();
        AtomicInteger numbers = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(3);
        for (int i = 0; i < 3; i++) {
            writers.submit(() -> {
                while (writing.get()) {
                    Response created = api.post("/api/bank-accounts", key, ApiClient.map(
                            "bankAccountNumber", String.format("12-1234-%07d-000", numbers.incrementAndGet()),
                            "bankAccountName", "John Doe"));
                    if (created.status() == 200) {
                        acknowledged.add(created.text("id"));
                    } else {
                        refused.add(created);
                    }
                }
                return null;
            });
        }
        awaitTrue(Duration.ofSeconds(30), () -> acknowledged.size() >= 10);
        postgres.stop();
        long down = System.nanoTime();

        // While it is down: 503 in the error format, and readiness down (liveness stays up: no restart needed).
        awaitTrue(Duration.ofSeconds(15), () -> refused.stream().anyMatch(r -> r.status() == 503));
        Response unavailable = refused.stream().filter(r -> r.status() == 503).findFirst().orElseThrow();
        assertThat(unavailable.body())
                .isEqualTo("{\"statusCode\":503,\"error\":\"Service Unavailable\",\"message\":\"SERVICE_UNAVAILABLE\"}");
        assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(503);
        assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
        assertThat(refused).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(503));
        Thread.sleep(Math.max(0, 3000 - (System.nanoTime() - down) / 1_000_000));

        postgres.start();
        long back = System.nanoTime();
        int whenBack = acknowledged.size();
        awaitTrue(Duration.ofSeconds(10), () -> acknowledged.size() > whenBack
                && api.get("/actuator/health/readiness", null).status() == 200);
        long recoveredMillis = (System.nanoTime() - back) / 1_000_000;
        Thread.sleep(1000);
        writing.set(false);
        writers.shutdown();
        assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(recoveredMillis).isLessThan(10_000);
        assertThat(acknowledged.size()).isGreaterThan(whenBack);
        // No acknowledged write lost: each is there, in the read model and in the event store.
        for (String id : acknowledged) {
            assertThat(api.get("/api/bank-accounts/" + id, key).status()).as(id).isEqualTo(200);
        }
        long events = jdbc.sql("SELECT COUNT(*) FROM domain_event_entry WHERE payload_type LIKE '%BankAccountCreatedEvent'")
                .query(Long.class).single();
        long rows = jdbc.sql("SELECT COUNT(*) FROM bank_account_view").query(Long.class).single();
        assertThat(rows).isEqualTo(events).isGreaterThanOrEqualTo(acknowledged.size());

        // The query side's streaming processors resumed by themselves (Axon retries with a growing back-off, up to
        // a minute) and followed the stream to its head, with no segment left in error: no event skipped.
        awaitTrue(Duration.ofSeconds(90), () -> {
            if (queryNode.get("/api/admin/projections", ApiTestSupport.ADMIN_KEY).status() != 200) {
                return false;
            }
            JsonNode live = projection(queryNode, "bank-accounts");
            return "streaming".equals(live.get("mode").asString())
                    && live.get("position").asLong() == live.get("head").asLong()
                    && queryNode.get("/actuator/health/readiness", null).status() == 200;
        });
        for (String id : acknowledged) {
            assertThat(queryNode.get("/api/bank-accounts/" + id, key).status()).as(id).isEqualTo(200);
        }
    }

    private static JsonNode projection(ApiClient client, String name) {
        Response listed = client.get("/api/admin/projections", ApiTestSupport.ADMIN_KEY);
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        for (JsonNode item : listed.json().get("items")) {
            if (item.get("name").asString().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    private static void awaitTrue(Duration timeout, java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
