package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import com.bankaccounts.platform.testing.PostgresTestDatabase;
import com.bankaccounts.query.QuerySideApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The whole server on a random port, over real HTTP, on a PostgreSQL database of this test run. */
@SpringBootTest(classes = BankAccountsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.admin-api-key=" + ApiTestSupport.ADMIN_KEY,
                "app.token-encryption-key=" + ApiTestSupport.TOKEN_KEY,
                // Every test calls from 127.0.0.1 with a few keys, faster than any real client: no limits here
                // (RateLimitApiTest has its own context with small ones).
                "app.rate-limit.requests-per-minute=0", "app.rate-limit.unauthenticated-per-minute=0",
                "app.scheduler.polling-interval=1s",
                // Every cached context on the shared database sends webhooks; they must agree on the retries.
                "app.webhooks.retry-schedule=1s,1s,1s,1s,1s,1s", "app.webhooks.timeout=2s",
                "app.webhooks.connect-timeout=1s", "app.webhooks.dns-timeout=1s", "app.webhooks.lease=10s",
                "app.webhooks.poll-interval=200ms"})
@ContextConfiguration(initializers = PostgresTestDatabase.class)
public abstract class ApiTestSupport {

    protected static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
    public static final String ADMIN_KEY = "test-admin-key-4f9c2b7e1d";
    public static final String TOKEN_KEY = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
    private static final AtomicInteger NUMBERS = new AtomicInteger((int) (System.nanoTime() % 1_000_000));

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected PlatformTransactionManager transactionManager;

    protected ApiClient api;

    public record TestAccount(String id, String key) {
    }

    @BeforeEach
    void startClient() {
        api = new ApiClient(port);
    }

    protected TestAccount newAccount(boolean test) {
        Response account = api.post("/api/accounts", ADMIN_KEY, ApiClient.map("name", "Acme", "test", test));
        assertThat(account.status()).as(account.toString()).isEqualTo(200);
        String id = account.text("id");
        Response key = api.post("/api/accounts/" + id + "/api-keys", ADMIN_KEY,
                ApiClient.map("name", "MyApiKey", "role", "account-owner"));
        assertThat(key.status()).as(key.toString()).isEqualTo(200);
        return new TestAccount(id, key.text("secret"));
    }

    /** A well-formed number nobody else in this run uses (valid for test accounts only). */
    protected static String uniqueTestNumber() {
        return String.format("12-1234-%07d-000", NUMBERS.incrementAndGet() % 10_000_000);
    }

    protected Response createBankAccount(TestAccount account, String number) {
        return api.post("/api/bank-accounts", account.key(),
                ApiClient.map("bankAccountNumber", number, "bankAccountName", "John Doe"));
    }

    protected Response createBankAccountWithAuthority(TestAccount account, String number) {
        return api.post("/api/bank-accounts", account.key(), ApiClient.map(
                "bankAccountNumber", number, "bankAccountName", "John Doe",
                "directDebitAuthority", authority()));
    }

    protected static Object authority() {
        return ApiClient.map("phoneNumber", "+64212345678", "fullName", "John Doe",
                "emailAddress", "john.doe@gmail.com");
    }

    /**
     * Locks the rows {@code selectForUpdate} selects (with {@code params}) in a transaction of its own, on a thread of
     * its own, as a concurrent request would hold them; closing it commits and waits for that thread.
     */
    protected HeldLock holdLock(String selectForUpdate, Object... params) throws InterruptedException {
        return new HeldLock(selectForUpdate, params);
    }

    protected final class HeldLock implements AutoCloseable {

        private final CountDownLatch release = new CountDownLatch(1);
        private final ExecutorService holder = Executors.newSingleThreadExecutor();
        private final Future<?> held;

        private HeldLock(String selectForUpdate, Object... params) throws InterruptedException {
            CountDownLatch locked = new CountDownLatch(1);
            held = holder.submit(() -> new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
                jdbc.sql(selectForUpdate).params(params).query().listOfRows();
                locked.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(locked.await(10, TimeUnit.SECONDS)).as("the lock is held").isTrue();
        }

        @Override
        public void close() throws Exception {
            release.countDown();
            try {
                held.get(10, TimeUnit.SECONDS);
            } finally {
                holder.shutdownNow();
            }
        }
    }

    protected long eventCount() {
        return jdbc.sql("SELECT COUNT(*) FROM domain_event_entry").query(Long.class).single();
    }

    /** Runs {@code action} while the database refuses to store an event of {@code aggregateId}, as a fault would. */
    protected <T> T withEventsRefused(String aggregateId, Supplier<T> action) {
        return withEventsRefused(aggregateId, "P0001", action);
    }

    /** The same, refused with a SQLSTATE of the test's choosing ({@code 23505}: as another node's append is). */
    protected <T> T withEventsRefused(String aggregateId, String sqlState, Supplier<T> action) {
        String refuse = "refuse_events_of_" + aggregateId.toLowerCase(Locale.ROOT);
        jdbc.sql("CREATE FUNCTION " + refuse + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "RAISE EXCEPTION 'refused by the test' USING ERRCODE = '" + sqlState + "'; END $$").update();
        jdbc.sql("CREATE TRIGGER " + refuse + " BEFORE INSERT ON domain_event_entry FOR EACH ROW "
                + "WHEN (NEW.aggregate_identifier = '" + aggregateId + "') EXECUTE FUNCTION " + refuse + "()")
                .update();
        try {
            return action.get();
        } finally {
            jdbc.sql("DROP TRIGGER " + refuse + " ON domain_event_entry").update();
            jdbc.sql("DROP FUNCTION " + refuse + "()").update();
        }
    }

    /** Runs the calls at the same moment from as many threads and returns their answers. */
    protected static List<Response> inParallel(List<Callable<Response>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (Callable<Response> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> future : futures) {
                responses.add(future.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A refusal in the error format, with its status and code. */
    protected static void assertRefused(Response response, int status, String message) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.json().get("statusCode").asInt()).as(response.toString()).isEqualTo(status);
        assertThat(response.text("error")).as(response.toString()).isNotBlank();
        assertThat(response.message()).as(response.toString()).isEqualTo(message);
    }

    /** The {@code {}} that actions answer. */
    protected static void assertEmptyObject(Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().isObject()).as(response.toString()).isTrue();
        assertThat(response.json().size()).as(response.toString()).isZero();
    }

    /** The account's bank accounts, as its own key lists them. */
    protected JsonNode bankAccounts(TestAccount account) {
        Response listed = api.get("/api/accounts/" + account.id() + "/bank-accounts", account.key());
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        return listed.json();
    }

    protected static String crn(TestAccount account) {
        return "crn:" + account.id() + ":api-key:MyApiKey";
    }

    protected String newBankAccount(TestAccount account) {
        Response created = createBankAccount(account, uniqueTestNumber());
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created.text("id");
    }

    protected JsonNode approvalsOf(String bankAccountId, TestAccount account) {
        Response listed = api.get("/api/bank-accounts/" + bankAccountId + "/approvals", account.key());
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        return listed.json().get("items");
    }

    protected String statementCode(TestAccount account, String bankAccountId, String fundsTransferId) {
        Response statement = api.get("/api/bank-accounts/" + bankAccountId + "/test-statement", account.key());
        assertThat(statement.status()).as(statement.toString()).isEqualTo(200);
        for (JsonNode line : statement.json().get("items")) {
            if (line.get("fundsTransferId").asString().equals(fundsTransferId)) {
                String reference = line.get("reference").asString();
                assertThat(reference).matches("CENTRAPAY \\d{4}");
                return reference.substring(reference.length() - 4);
            }
        }
        throw new AssertionError("transfer " + fundsTransferId + " is not on the statement: " + statement);
    }

    /** Uploads a small PDF as the account's media upload. */
    protected Response uploadPdf(TestAccount account) {
        String boundary = "test-support-boundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--" + boundary + "--\r\n";
        return api.send(api.request("/api/media-uploads", account.key())
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body, java.nio.charset.StandardCharsets.ISO_8859_1))
                .build());
    }

    /** A query-side process on its own (profile query-only, its read models tracking the event store). */
    protected static ConfigurableApplicationContext startQuerySideProcess(
            ApplicationContextInitializer<ConfigurableApplicationContext> database) {
        return new SpringApplicationBuilder(QuerySideApplication.class)
                .initializers(database)
                .profiles("query-only")
                .run("--server.port=0", "--app.admin-api-key=" + ADMIN_KEY, "--app.token-encryption-key=" + TOKEN_KEY);
    }

    /** A client of another server this test started. */
    protected static ApiClient clientOf(ConfigurableApplicationContext server) {
        return new ApiClient(Integer.parseInt(server.getEnvironment().getRequiredProperty("local.server.port")));
    }
}
