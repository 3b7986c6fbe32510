package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.api.bankaccount.AuthorizeDirectDebitCommand;
import com.bankaccounts.api.bankaccount.DirectDebitAuthority;
import com.bankaccounts.platform.idempotency.IdempotencyKeys;
import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.PostgresTestDatabase;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** Idempotent retries of POSTs ({@code Idempotency-Key}, {@code idempotencyKey}) over HTTP and PostgreSQL. */
class IdempotencyApiTest extends ApiTestSupport {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    private IdempotencyKeys keys;

    @Autowired
    private CommandGateway commands;

    record Answer(int status, String body, String contentType, String replayed) {

        JsonNode json() {
            return ApiClient.JSON.readTree(body);
        }

        String text(String field) {
            return json().get(field).asString();
        }

        boolean isReplay() {
            return "true".equals(replayed);
        }

        @Override
        public String toString() {
            return status + (isReplay() ? " (replayed) " : " ") + body;
        }
    }

    @Test
    void aRetryAnswersTheFirstAnswerAndCreatesNothing() {
        TestAccount account = newAccount(true);
        String key = newKey();
        String body = bankAccountJson(uniqueTestNumber());

        Answer first = post(port, "/api/bank-accounts", account.key(), key, body);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.isReplay()).isFalse();
        long events = eventCount();

        Answer again = post(port, "/api/bank-accounts", account.key(), key, body);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.isReplay()).as(again.toString()).isTrue();
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.contentType()).isEqualTo(first.contentType());
        assertThat(eventCount()).isEqualTo(events);
        assertThat(bankAccountRows(account)).isEqualTo(1);
        // Kept for the configured 24 hours.
        assertThat(jdbc.sql("""
                        SELECT EXTRACT(EPOCH FROM expires_at - created_at) FROM idempotency_keys
                        WHERE scope = ? AND idempotency_key = ?""").params(account.id(), key)
                .query(Double.class).single()).isEqualTo(86_400.0);
    }

    /** A retry is refused what a first request would be: an answer is not replayed to a client that cannot read it. */
    @Test
    void aRetryWithHeadersAFirstRequestIsRefusedForIsRefusedAlikeNotReplayed() {
        TestAccount account = newAccount(true);
        String key = newKey();
        String body = bankAccountJson(uniqueTestNumber());
        Answer first = post(port, "/api/bank-accounts", account.key(), key, body);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);

        Answer noJson = send(retry(account, key, body, "application/json").header("accept", "text/html").build());
        assertError(noJson, 406, "responses are application/json");
        Answer gzip = send(retry(account, key, body, "application/json").header("content-encoding", "gzip").build());
        assertError(gzip, 415, "request body must not be compressed: Content-Encoding is not supported");
        Answer latin1 = send(retry(account, key, body, "application/json; charset=ISO-8859-1").build());
        assertError(latin1, 415, "content type must be application/json in UTF-8");
        Answer again = post(port, "/api/bank-accounts", account.key(), key, body);
        assertThat(again.isReplay()).as(again.toString()).isTrue();
        assertThat(bankAccountRows(account)).isEqualTo(1);
    }

    private HttpRequest.Builder retry(TestAccount account, String key, String body, String contentType) {
        return HttpRequest.newBuilder(URI.create(api.url("/api/bank-accounts")))
                .header("x-api-key", account.key()).header("Idempotency-Key", key)
                .header("content-type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void aKeptAnswerHoldingASecretIsEncryptedAndARetryStillGetsTheSecret() {
        TestAccount account = newAccount(true);
        String key = newKey();
        String path = "/api/accounts/" + account.id() + "/api-keys";
        String body = "{\"name\":\"retried\",\"role\":\"account-owner\"}";

        Answer first = post(port, path, account.key(), key, body);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        String secret = first.text("secret");
        Answer again = post(port, path, account.key(), key, body);
        assertThat(again.isReplay()).as(again.toString()).isTrue();
        assertThat(again.text("secret")).isEqualTo(secret);

        byte[] kept = jdbc.sql("SELECT body FROM idempotency_keys WHERE scope = ? AND idempotency_key = ?")
                .params(account.id(), key).query(byte[].class).single();
        assertThat(new String(kept, StandardCharsets.ISO_8859_1)).doesNotContain(secret).doesNotContain("retried");
    }

    @Test
    void anAnswerKeptBeforeAnswersWereEncryptedIsStillReplayed() {
        TestAccount account = newAccount(true);
        String key = newKey();
        String body = bankAccountJson(uniqueTestNumber());
        Answer first = post(port, "/api/bank-accounts", account.key(), key, body);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        jdbc.sql("UPDATE idempotency_keys SET body = ?, body_encrypted = FALSE WHERE scope = ? AND idempotency_key = ?")
                .params(first.body().getBytes(StandardCharsets.UTF_8), account.id(), key).update();

        Answer again = post(port, "/api/bank-accounts", account.key(), key, body);
        assertThat(again.isReplay()).as(again.toString()).isTrue();
        assertThat(again.body()).isEqualTo(first.body());
    }

    @Test
    void withoutAKeyEachPostCreates() {
        TestAccount account = newAccount(true);
        String body = bankAccountJson(uniqueTestNumber());
        assertThat(post(port, "/api/bank-accounts", account.key(), null, body).status()).isEqualTo(200);
        Answer second = post(port, "/api/bank-accounts", account.key(), null, body);
        assertThat(second.status()).isEqualTo(403);
        assertThat(second.isReplay()).isFalse();
    }

    @Test
    void theBodyFieldWorksAsTheHeaderDoes() {
        TestAccount account = newAccount(true);
        String key = newKey();
        String number = uniqueTestNumber();
        String withField = "{\"bankAccountNumber\":\"" + number + "\",\"bankAccountName\":\"John Doe\","
                + "\"idempotencyKey\":\"" + key + "\"}";
        Answer first = post(port, "/api/bank-accounts", account.key(), null, withField);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);

        Answer again = post(port, "/api/bank-accounts", account.key(), null, withField);
        assertThat(again.isReplay()).as(again.toString()).isTrue();
        assertThat(again.body()).isEqualTo(first.body());
        // The same key in the header, the body without the field: the same request.
        Answer viaHeader = post(port, "/api/bank-accounts", account.key(), key, bankAccountJson(number));
        assertThat(viaHeader.isReplay()).as(viaHeader.toString()).isTrue();
        assertThat(viaHeader.body()).isEqualTo(first.body());
        // Both, and the same: fine.
        Answer both = post(port, "/api/bank-accounts", account.key(), key, withField);
        assertThat(both.isReplay()).as(both.toString()).isTrue();
        assertThat(bankAccountRows(account)).isEqualTo(1);
    }

    @Test
    void aHeaderAndABodyFieldThatDifferAre400AndRunNothing() {
        TestAccount account = newAccount(true);
        String body = "{\"bankAccountNumber\":\"" + uniqueTestNumber()
                + "\",\"bankAccountName\":\"John Doe\",\"idempotencyKey\":\"one\"}";
        Answer answer = post(port, "/api/bank-accounts", account.key(), "two", body);
        assertError(answer, 400, "Idempotency-Key and idempotencyKey must be the same when both are given");
        assertThat(bankAccountRows(account)).isZero();
    }

    @Test
    void malformedKeysAre400() throws IOException {
        TestAccount account = newAccount(true);
        String body = bankAccountJson(uniqueTestNumber());
        assertError(post(port, "/api/bank-accounts", account.key(), "k".repeat(256), body), 400,
                "Idempotency-Key must be 1 to 255 printable ASCII characters, no space at either end");
        // Bytes Java's client would not send: over a socket.
        for (String key : List.of("caf\u00e9", "tab\there", "")) {
            assertThat(rawPost(account, key, body)).as(key).startsWith("HTTP/1.1 400 ")
                    .contains("Idempotency-Key must be 1 to 255 printable ASCII characters, no space at either end");
        }
        for (String field : List.of("\"\"", "\"" + "k".repeat(256) + "\"", "\"tab\\there\"", "\" \"",
                "\" a\"", "\"a \"")) {
            String withField = "{\"bankAccountNumber\":\"" + uniqueTestNumber()
                    + "\",\"bankAccountName\":\"John Doe\",\"idempotencyKey\":" + field + "}";
            assertError(post(port, "/api/bank-accounts", account.key(), null, withField), 400,
                    "idempotencyKey must be 1 to 255 printable ASCII characters, no space at either end");
        }
        // Not a string: named as any field of the wrong type is; null too, rather than run without a key.
        for (String field : List.of("5", "null", "{}", "[\"k\"]", "true")) {
            String withField = "{\"bankAccountNumber\":\"" + uniqueTestNumber()
                    + "\",\"bankAccountName\":\"John Doe\",\"idempotencyKey\":" + field + "}";
            assertError(post(port, "/api/bank-accounts", account.key(), null, withField), 400,
                    "idempotencyKey must be a JSON string");
        }
        HttpRequest twice = HttpRequest.newBuilder(URI.create(api.url("/api/bank-accounts")))
                .header("x-api-key", account.key()).header("content-type", "application/json")
                .header("Idempotency-Key", "a").header("Idempotency-Key", "b")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        assertError(send(twice), 400, "Idempotency-Key must be given once");
        assertThat(bankAccountRows(account)).isZero();
        // The longest key is fine.
        assertThat(post(port, "/api/bank-accounts", account.key(), "k".repeat(255), body).status()).isEqualTo(200);
    }

    @Test
    void theKeyAgainWithAnotherBodyOrPathIs422() {
        TestAccount account = newAccount(true);
        String key = newKey();
        Answer first = post(port, "/api/bank-accounts", account.key(), key, bankAccountJson(uniqueTestNumber()));
        assertThat(first.status()).isEqualTo(200);
        long events = eventCount();

        assertError(post(port, "/api/bank-accounts", account.key(), key, bankAccountJson(uniqueTestNumber())),
                422, "IDEMPOTENCY_KEY_REUSED");
        assertError(post(port, "/api/bank-account-connection-intents", account.key(), key,
                        "{\"accountId\":\"" + account.id() + "\",\"type\":\"account-information-consent\"}"),
                422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(bankAccountRows(account)).isEqualTo(1);
    }

    @Test
    void jsonIsComparedAsParsed() {
        TestAccount account = newAccount(true);
        String key = newKey();
        String number = uniqueTestNumber();
        Answer first = post(port, "/api/bank-accounts", account.key(), key,
                "{\"bankAccountNumber\":\"" + number + "\",\"bankAccountName\":\"John Doe\"}");
        assertThat(first.status()).isEqualTo(200);
        Answer reordered = post(port, "/api/bank-accounts", account.key(), key,
                "{\n  \"bankAccountName\" : \"John Doe\",\n  \"bankAccountNumber\" : \"" + number + "\"\n}\n");
        assertThat(reordered.isReplay()).as(reordered.toString()).isTrue();
        assertThat(reordered.body()).isEqualTo(first.body());
        // A value that differs only in an escape is the same string.
        Answer escaped = post(port, "/api/bank-accounts", account.key(), key,
                "{\"bankAccountNumber\":\"" + number + "\",\"bankAccountName\":\"John \\u0044oe\"}");
        assertThat(escaped.isReplay()).as(escaped.toString()).isTrue();
        assertThat(bankAccountRows(account)).isEqualTo(1);
    }

    @Test
    void multipartUploadsAreComparedByTheirParts() {
        TestAccount account = newAccount(true);
        String key = newKey();
        Answer first = upload(account, key, "first-boundary", "a.pdf", "%PDF-1.4 one");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);

        Answer again = upload(account, key, "another-boundary-2", "a.pdf", "%PDF-1.4 one");
        assertThat(again.isReplay()).as(again.toString()).isTrue();
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(uploadRows(account)).isEqualTo(1);

        assertError(upload(account, key, "first-boundary", "a.pdf", "%PDF-1.4 two"), 422, "IDEMPOTENCY_KEY_REUSED");
        assertError(upload(account, key, "first-boundary", "b.pdf", "%PDF-1.4 one"), 422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(uploadRows(account)).isEqualTo(1);
    }

    @Test
    void anUploadsFileNameIsTheOneItIsStoredUnder() {
        // filename* wins over filename, for the upload and for what makes a retry the same request.
        TestAccount account = newAccount(true);
        String key = newKey();
        Answer first = uploadNamed(account, key, "b1", "filename=\"a.pdf\"; filename*=UTF-8''b.pdf", "%PDF-1.4 one");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.text("fileName")).isEqualTo("b.pdf");

        assertThat(uploadNamed(account, key, "b2", "filename=\"a.pdf\"; filename*=UTF-8''b.pdf", "%PDF-1.4 one")
                .isReplay()).isTrue();
        assertError(uploadNamed(account, key, "b1", "filename=\"a.pdf\"; filename*=UTF-8''c.pdf", "%PDF-1.4 one"),
                422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(uploadRows(account)).isEqualTo(1);
    }

    @Test
    void aRefusedRequestIsNotKeptAndCanBeFixedWithTheSameKey() {
        TestAccount account = newAccount(true);
        String key = newKey();
        String number = uniqueTestNumber();
        assertError(post(port, "/api/bank-accounts", account.key(), key,
                "{\"bankAccountNumber\":\"" + number + "\"}"), 400, "bankAccountName is required");
        assertThat(post(port, "/api/bank-accounts", account.key(), key, "{").status()).isEqualTo(400);
        assertThat(countKeys(account.id(), key)).isZero();

        Answer fixed = post(port, "/api/bank-accounts", account.key(), key, bankAccountJson(number));
        assertThat(fixed.status()).as(fixed.toString()).isEqualTo(200);
        assertThat(fixed.isReplay()).isFalse();
        assertThat(bankAccountRows(account)).isEqualTo(1);
    }

    @Test
    void aConflictIsNotKeptAndTheSameKeyRunsAgain() {
        TestAccount account = newAccount(true);
        String key = newKey();
        String body = bankAccountJson(uniqueTestNumber());
        // The read model's insert meets a unique violation, as when another writer got there first: the command fails
        // (its savepoint rolls back) and the endpoint answers 409.
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION idempotency_test_conflict() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE unique_violation USING MESSAGE = 'conflict made by the test';
                END $$""").update();
        jdbc.sql("CREATE TRIGGER idempotency_test_conflict BEFORE INSERT ON bank_account_view FOR EACH ROW "
                + "WHEN (NEW.account_id = '" + account.id() + "') EXECUTE FUNCTION idempotency_test_conflict()")
                .update();
        long events = eventCount();
        Answer conflict;
        try {
            conflict = post(port, "/api/bank-accounts", account.key(), key, body);
        } finally {
            jdbc.sql("DROP TRIGGER idempotency_test_conflict ON bank_account_view").update();
        }
        assertError(conflict, 409, "CONFLICT");
        assertThat(countKeys(account.id(), key)).isZero();
        assertThat(eventCount()).isEqualTo(events);

        Answer retried = post(port, "/api/bank-accounts", account.key(), key, body);
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.isReplay()).isFalse();
        assertThat(bankAccountRows(account)).isEqualTo(1);
    }

    @Test
    void aBusinessRefusalIsKeptWithTheEventItRecords() {
        TestAccount account = newAccount(true);
        String bankAccountId = createBankAccountWithAuthority(account, uniqueTestNumber()).text("id");
        String key = newKey();
        String path = "/api/bank-accounts/" + bankAccountId + "/verify";
        String wrongCode = "{\"verificationCode\":\"0000\"}";

        Answer refused = post(port, path, account.key(), key, wrongCode);
        assertError(refused, 403, "VERIFICATION_CODE_INVALID");
        assertThat(failedAttempts(bankAccountId)).isEqualTo(1);

        Answer again = post(port, path, account.key(), key, wrongCode);
        assertThat(again.isReplay()).as(again.toString()).isTrue();
        assertError(again, 403, "VERIFICATION_CODE_INVALID");
        assertThat(failedAttempts(bankAccountId)).isEqualTo(1);
        // Without the key the attempt counts again.
        assertError(post(port, path, account.key(), null, wrongCode), 403, "VERIFICATION_CODE_INVALID");
        assertThat(failedAttempts(bankAccountId)).isEqualTo(2);
    }

    @Test
    void parallelRequestsWithTheirOwnKeysOnOneBankAccountCountEachAttemptOnce() throws Exception {
        TestAccount account = newAccount(true);
        String bankAccountId = createBankAccountWithAuthority(account, uniqueTestNumber()).text("id");
        String path = "/api/bank-accounts/" + bankAccountId + "/verify";
        List<String> keysUsed = new ArrayList<>();
        List<Callable<Answer>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String key = newKey();
            keysUsed.add(key);
            calls.add(() -> post(port, path, account.key(), key, "{\"verificationCode\":\"0000\"}"));
        }
        List<Answer> answers = all(calls);
        for (Answer answer : answers) {
            // A command that lost a race inside a keyed request is answered 409 (not kept), never retried into
            // another transaction, never a 5xx.
            assertThat(answer.status()).as(answer.toString()).isIn(403, 409);
            assertThat(answer.text("message")).as(answer.toString()).isIn("VERIFICATION_CODE_INVALID",
                    "BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED", "CONCURRENT_MODIFICATION");
        }
        assertThat(answers.stream().filter(a -> "VERIFICATION_CODE_INVALID".equals(a.text("message"))).count())
                .isEqualTo(3);
        assertThat(failedAttempts(bankAccountId)).isEqualTo(3);
        // Each key replays its own answer; a 409 was not kept and runs again.
        for (int i = 0; i < answers.size(); i++) {
            Answer again = post(port, path, account.key(), keysUsed.get(i), "{\"verificationCode\":\"0000\"}");
            if (answers.get(i).status() == 403) {
                assertThat(again.isReplay()).as(again.toString()).isTrue();
                assertThat(again.body()).isEqualTo(answers.get(i).body());
            } else {
                assertError(again, 403, "BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED");
                assertThat(again.isReplay()).isFalse();
            }
        }
        assertThat(failedAttempts(bankAccountId)).isEqualTo(3);
    }

    @Test
    void aBusinessRefusalWithoutAnEventIsKeptAndTheTransactionStaysUsable() {
        TestAccount account = newAccount(true);
        String number = uniqueTestNumber();
        assertThat(createBankAccount(account, number).status()).isEqualTo(200);
        String key = newKey();
        Answer duplicate = post(port, "/api/bank-accounts", account.key(), key, bankAccountJson(number));
        assertError(duplicate, 403, "DUPLICATE_BANK_ACCOUNT");
        assertThat(countKeys(account.id(), key)).isEqualTo(1);
        assertThat(post(port, "/api/bank-accounts", account.key(), key, bankAccountJson(number)).isReplay()).isTrue();
    }

    @Test
    void aCommandRefusedAfterLoadingItsAggregateUndoesOnlyItsOwnWritesInTheEnclosingTransaction() {
        TestAccount account = newAccount(true);
        String bankAccountId = createBankAccountWithAuthority(account, uniqueTestNumber()).text("id");
        DirectDebitAuthority authority = new DirectDebitAuthority("+64212345678", "Jo Doe", "jo@example.org");
        try (JsonLogCapture logs = JsonLogCapture.start()) {
            // As an idempotent request's transaction holds its key's lock around the command.
            new TransactionTemplate(transactionManager).executeWithoutResult(enclosing -> {
                jdbc.sql("SET LOCAL application_name = 'enclosing'").update();
                assertThatThrownBy(() -> commands.sendAndWait(
                        new AuthorizeDirectDebitCommand(bankAccountId, authority)))
                        .hasMessageContaining("DIRECT_DEBIT_ALREADY_AUTHORIZED");
                assertThat(jdbc.sql("SHOW application_name").query(String.class).single())
                        .as("the enclosing transaction is still the one open").isEqualTo("enclosing");
            });
            assertThat(logs.lines()).noneMatch(line -> line.contains("Could not roll back"));
        }
    }

    @Test
    void anActionsAbsentBodyAndAnEmptyObjectAreTheSameRequest() {
        String key = newKey();
        String path = "/api/funds-transfers/WRhAxxWpTKb5U7pXyxQjjY/settle";
        assertError(post(port, path, ADMIN_KEY, key, "{}"), 404, "FUNDS_TRANSFER_NOT_FOUND");

        Answer withoutBody = post(port, path, ADMIN_KEY, key, "");
        assertThat(withoutBody.isReplay()).as(withoutBody.toString()).isTrue();
        assertError(withoutBody, 404, "FUNDS_TRANSFER_NOT_FOUND");
    }

    @Test
    void anUnknownResourceIsKept() {
        TestAccount account = newAccount(true);
        String key = newKey();
        String body = "{\"bankAccountId\":\"WRhAxxWpTKb5U7pXyxQjjY\",\"type\":\"withdrawal\",\"amount\":\"100\"}";
        assertError(post(port, "/api/funds-transfers", account.key(), key, body), 404, "BANK_ACCOUNT_NOT_FOUND");
        Answer again = post(port, "/api/funds-transfers", account.key(), key, body);
        assertThat(again.isReplay()).as(again.toString()).isTrue();
        assertError(again, 404, "BANK_ACCOUNT_NOT_FOUND");
    }

    @Test
    void aMisspeltPathIsNotKeptAndTheKeyWorksOnceItIsFixed() {
        TestAccount account = newAccount(true);
        String key = newKey();
        String body = bankAccountJson(uniqueTestNumber());
        Answer misspelt = post(port, "/api/bank-acounts", account.key(), key, body);
        assertThat(misspelt.status()).as(misspelt.toString()).isEqualTo(404);
        Answer fixed = post(port, "/api/bank-accounts", account.key(), key, body);
        assertThat(fixed.status()).as(fixed.toString()).isEqualTo(200);
        assertThat(fixed.isReplay()).isFalse();
        assertThat(bankAccountRows(account)).isEqualTo(1);
    }

    @Test
    void aBodyKeyInJsonThatIsNotUtf8IsRefusedInsteadOfRunningWithoutIt() {
        // The key's look-up reads UTF-8; a body it could not read would have run again on every retry.
        TestAccount account = newAccount(true);
        String json = "{\"idempotencyKey\":\"" + newKey() + "\"," + bankAccountJson(uniqueTestNumber()).substring(1);
        for (int attempt = 0; attempt < 2; attempt++) {
            Answer refused = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/bank-accounts"))
                    .header("x-api-key", account.key()).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.getBytes(StandardCharsets.UTF_16LE))).build());
            assertError(refused, 400, "request body must be JSON in UTF-8");
            Answer latin1 = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/bank-accounts"))
                    .header("x-api-key", account.key())
                    .header("content-type", "application/json; charset=ISO-8859-1")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.replace("John", "Jos\u00e9")
                            .getBytes(StandardCharsets.ISO_8859_1))).build());
            assertError(latin1, 415, "content type must be application/json in UTF-8");
        }
        assertThat(bankAccountRows(account)).isZero();
    }

    @Test
    void aRetryWithAKeyGivenTwiceInItsBodyIsAnotherBodyNotAReplay() {
        TestAccount account = newAccount(true);
        String key = newKey();
        String number = uniqueTestNumber();
        assertThat(post(port, "/api/bank-accounts", account.key(), key, bankAccountJson(number)).status())
                .isEqualTo(200);
        // Read with the last "bankAccountName" winning, it would be the first body and replay its 200, though the
        // endpoint refuses a key given twice (and something in front of it may have read the first one).
        Answer twice = post(port, "/api/bank-accounts", account.key(), key, "{\"bankAccountNumber\":\"" + number
                + "\",\"bankAccountName\":\"Someone Else\",\"bankAccountName\":\"John Doe\"}");
        assertError(twice, 422, "IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void anAnswerIsNotSavedOverAClaimMadeMeanwhile() {
        // An authorization sent the same key while this request ran: its claim stands, this request's work does not.
        String scope = newAccount(true).id();
        String key = newKey();
        assertThat(keys.claim(scope, key, "authorize", Duration.ofMinutes(5))).isPresent();
        IdempotencyKeys.StoredAnswer answer =
                new IdempotencyKeys.StoredAnswer("create", 200, "application/json", new byte[] {'{', '}'});
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        Boolean saved = transactions.execute(transaction -> keys.save(scope, key, answer, Duration.ofHours(1)));
        assertThat(saved).isFalse();
        assertThat(keys.find(scope, key)).get().extracting(IdempotencyKeys.StoredAnswer::status)
                .isEqualTo(IdempotencyKeys.IN_PROGRESS);
        expire(scope, key);
        Boolean savedOverExpired =
                transactions.execute(transaction -> keys.save(scope, key, answer, Duration.ofHours(1)));
        assertThat(savedOverExpired).isTrue();
    }

    @Test
    void aRequestWhoseKeyAnAuthorizationClaimedMeanwhileRollsBackAndAnswers409() throws Exception {
        TestAccount account = newAccount(true);
        String key = newKey();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        // The account's row held, so that the create waits inside its key's transaction.
        try (HeldLock lock = holdLock("SELECT 1 FROM accounts WHERE id = ? FOR UPDATE", account.id())) {
            Future<Answer> create = pool.submit(() -> post(port, "/api/bank-accounts", account.key(), key,
                    bankAccountJson(uniqueTestNumber())));
            await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("""
                            SELECT COUNT(*) FROM pg_stat_activity
                            WHERE wait_event_type = 'Lock' AND query LIKE '%FROM accounts WHERE id = $1 FOR UPDATE%'""")
                    .query(Long.class).single() > 0);
            // An authorization sent the same key meanwhile: it claims it, as it runs without the key's lock.
            assertThat(keys.claim(account.id(), key, "authorize", Duration.ofMinutes(5))).isPresent();
            lock.close();

            assertError(create.get(30, TimeUnit.SECONDS), 409, "IDEMPOTENCY_KEY_IN_PROGRESS");
            assertThat(bankAccountRows(account)).isZero();
            assertThat(keys.find(account.id(), key)).get().extracting(IdempotencyKeys.StoredAnswer::status)
                    .isEqualTo(IdempotencyKeys.IN_PROGRESS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFundsTransferIsMadeOnce() {
        TestAccount account = newAccount(true);
        String bankAccountId = createBankAccountWithAuthority(account, uniqueTestNumber()).text("id");
        String key = newKey();
        String body = "{\"bankAccountId\":\"" + bankAccountId + "\",\"type\":\"topup\",\"amount\":\"1500\"}";
        Answer first = post(port, "/api/funds-transfers", account.key(), key, body);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        Answer again = post(port, "/api/funds-transfers", account.key(), key, body);
        assertThat(again.isReplay()).isTrue();
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM funds_transfer_view WHERE account_id = ?").param(account.id())
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aConnectionIntentIsCreatedOnceAndItsAuthorizationAnswersAreKept() {
        TestAccount account = newAccount(true);
        String key = newKey();
        String body = "{\"accountId\":\"" + account.id() + "\",\"type\":\"account-information-consent\",\"test\":true}";
        Answer first = post(port, "/api/bank-account-connection-intents", account.key(), key, body);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        Answer again = post(port, "/api/bank-account-connection-intents", account.key(), key, body);
        assertThat(again.isReplay()).isTrue();
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM connection_intent_view WHERE account_id = ?").param(account.id())
                .query(Long.class).single()).isEqualTo(1);

        // The authorization runs without the enclosing transaction (it calls the provider), yet is kept.
        String authorizeKey = newKey();
        String authorize = "/api/bank-account-connection-intents/" + first.text("id") + "/authorize";
        String wrongState = "{\"code\":\"some-code\",\"state\":\"not-the-state\"}";
        Answer mismatch = post(port, authorize, account.key(), authorizeKey, wrongState);
        assertError(mismatch, 403, "STATE_MISMATCH");
        Answer replayed = post(port, authorize, account.key(), authorizeKey, wrongState);
        assertThat(replayed.isReplay()).as(replayed.toString()).isTrue();
        assertThat(replayed.body()).isEqualTo(mismatch.body());
        assertError(post(port, authorize, account.key(), authorizeKey, "{\"code\":\"other\",\"state\":\"x\"}"),
                422, "IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void keysAreScopedToTheCallersAccount() {
        TestAccount one = newAccount(true);
        TestAccount other = newAccount(true);
        String key = newKey();
        String number = uniqueTestNumber();
        Answer first = post(port, "/api/bank-accounts", one.key(), key, bankAccountJson(number));
        Answer second = post(port, "/api/bank-accounts", other.key(), key, bankAccountJson(number));
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.isReplay()).isFalse();
        assertThat(second.text("id")).isNotEqualTo(first.text("id"));
        assertThat(bankAccountRows(one)).isEqualTo(1);
        assertThat(bankAccountRows(other)).isEqualTo(1);

        // The admin key has a scope of its own.
        Answer account = post(port, "/api/accounts", ADMIN_KEY, key, "{\"name\":\"Acme\",\"test\":true}");
        assertThat(account.status()).as(account.toString()).isEqualTo(200);
        assertThat(account.isReplay()).isFalse();
        assertThat(post(port, "/api/accounts", ADMIN_KEY, key, "{\"name\":\"Acme\",\"test\":true}").isReplay())
                .isTrue();
        assertThat(countKeys(":admin", key)).isEqualTo(1);
    }

    @Test
    void anExpiredKeyCanBeUsedAgainAndIsPurged() {
        TestAccount account = newAccount(true);
        String key = newKey();
        String body = bankAccountJson(uniqueTestNumber());
        Answer first = post(port, "/api/bank-accounts", account.key(), key, body);
        assertThat(first.status()).isEqualTo(200);
        expire(account.id(), key);

        Answer afterExpiry = post(port, "/api/bank-accounts", account.key(), key, bankAccountJson(uniqueTestNumber()));
        assertThat(afterExpiry.status()).as(afterExpiry.toString()).isEqualTo(200);
        assertThat(afterExpiry.isReplay()).isFalse();
        assertThat(bankAccountRows(account)).isEqualTo(2);

        expire(account.id(), key);
        assertThat(keys.purgeExpired()).isGreaterThanOrEqualTo(1);
        assertThat(countKeys(account.id(), key)).isZero();
    }

    @Test
    void theAnswerAndTheEffectCommitTogether() {
        TestAccount account = newAccount(true);
        String key = "fail-on-store-" + UUID.randomUUID();
        // Storing this key's answer fails after the endpoint has done its work: as if the process died in between.
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION idempotency_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.idempotency_key LIKE 'fail-on-store-%' THEN
                        RAISE EXCEPTION 'refused by the test';
                    END IF;
                    RETURN NEW;
                END $$""").update();
        jdbc.sql("""
                CREATE TRIGGER idempotency_test_refuse BEFORE INSERT ON idempotency_keys
                FOR EACH ROW EXECUTE FUNCTION idempotency_test_refuse()""").update();
        long events = eventCount();
        String body = bankAccountJson(uniqueTestNumber());
        Answer failed;
        try {
            failed = post(port, "/api/bank-accounts", account.key(), key, body);
        } finally {
            jdbc.sql("DROP TRIGGER idempotency_test_refuse ON idempotency_keys").update();
        }
        assertThat(failed.status()).as(failed.toString()).isEqualTo(500);
        assertThat(eventCount()).isEqualTo(events);
        assertThat(bankAccountRows(account)).isZero();
        assertThat(countKeys(account.id(), key)).isZero();

        Answer retried = post(port, "/api/bank-accounts", account.key(), key, body);
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.isReplay()).isFalse();
        assertThat(bankAccountRows(account)).isEqualTo(1);
    }

    @Test
    void parallelRequestsWithOneKeyMakeOneEffect() throws Exception {
        TestAccount account = newAccount(true);
        String key = newKey();
        String body = bankAccountJson(uniqueTestNumber());
        List<Callable<Answer>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(() -> post(port, "/api/bank-accounts", account.key(), key, body));
        }
        assertOneEffect(account, all(calls));
    }

    @Test
    void parallelRequestsWithOneKeyOnTwoNodesMakeOneEffect() throws Exception {
        try (ConfigurableApplicationContext other = new SpringApplicationBuilder(BankAccountsApplication.class)
                .initializers(new PostgresTestDatabase())
                .run("--server.port=0", "--app.admin-api-key=" + ADMIN_KEY,
                        "--app.token-encryption-key=" + TOKEN_KEY)) {
            int otherPort = Integer.parseInt(other.getEnvironment().getRequiredProperty("local.server.port"));
            TestAccount account = newAccount(true);
            String key = newKey();
            String body = bankAccountJson(uniqueTestNumber());
            List<Callable<Answer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int nodePort = i % 2 == 0 ? port : otherPort;
                calls.add(() -> post(nodePort, "/api/bank-accounts", account.key(), key, body));
            }
            assertOneEffect(account, all(calls));
            // Either node replays the stored answer afterwards.
            assertThat(post(otherPort, "/api/bank-accounts", account.key(), key, body).isReplay()).isTrue();
            assertThat(post(port, "/api/bank-accounts", account.key(), key, body).isReplay()).isTrue();
        }
    }

    /** One 200 made the bank account; the others were replays of it or 409 IDEMPOTENCY_KEY_IN_PROGRESS. */
    private void assertOneEffect(TestAccount account, List<Answer> answers) {
        Map<String, Long> outcomes = answers.stream().collect(Collectors.groupingBy(
                a -> a.status() == 200 ? (a.isReplay() ? "replayed" : "made") : a.status() + " " + a.text("message"),
                Collectors.counting()));
        assertThat(outcomes.get("made")).as(outcomes.toString()).isEqualTo(1);
        assertThat(outcomes.keySet()).as(outcomes.toString())
                .isSubsetOf(Set.of("made", "replayed", "409 IDEMPOTENCY_KEY_IN_PROGRESS"));
        Set<String> ids = answers.stream().filter(a -> a.status() == 200).map(a -> a.text("id"))
                .collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
        assertThat(bankAccountRows(account)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?")
                .param(ids.iterator().next()).query(Long.class).single()).isEqualTo(1);
    }

    private static List<Answer> all(List<Callable<Answer>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Answer>> futures = new ArrayList<>();
            for (Callable<Answer> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private Answer upload(TestAccount account, String key, String boundary, String fileName, String content) {
        return uploadNamed(account, key, boundary, "filename=\"" + fileName + "\"", content);
    }

    /** {@code names}: the part's file name parameters as sent ({@code filename}, {@code filename*}). */
    private Answer uploadNamed(TestAccount account, String key, String boundary, String names, String content) {
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; " + names
                + "\r\nContent-Type: application/pdf\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
        return send(HttpRequest.newBuilder(URI.create(api.url("/api/media-uploads")))
                .header("x-api-key", account.key()).header("Idempotency-Key", key)
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.ISO_8859_1)).build());
    }

    private static Answer post(int port, String path, String apiKey, String key, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("x-api-key", apiKey).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return send(request.build());
    }

    private static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(),
                    response.headers().firstValue("content-type").orElse(null),
                    response.headers().firstValue("Idempotent-Replayed").orElse(null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A POST with the key's characters as ISO-8859-1 bytes; answers the whole response. */
    private String rawPost(TestAccount account, String key, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/bank-accounts HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "x-api-key: " + account.key() + "\r\nContent-Type: application/json\r\n"
                + "Idempotency-Key: " + key + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static void assertError(Answer answer, int status, String message) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.contentType()).as(answer.toString()).startsWith("application/json");
        assertThat(answer.json().get("statusCode").asInt()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.text("message")).as(answer.toString()).isEqualTo(message);
    }

    private static String newKey() {
        return "key-" + UUID.randomUUID();
    }

    private static String bankAccountJson(String number) {
        return "{\"bankAccountNumber\":\"" + number + "\",\"bankAccountName\":\"John Doe\"}";
    }

    private long bankAccountRows(TestAccount account) {
        return jdbc.sql("SELECT COUNT(*) FROM bank_account_view WHERE account_id = ?").param(account.id())
                .query(Long.class).single();
    }

    private long uploadRows(TestAccount account) {
        return jdbc.sql("SELECT COUNT(*) FROM media_uploads WHERE account_id = ?").param(account.id())
                .query(Long.class).single();
    }

    private long countKeys(String scope, String key) {
        return jdbc.sql("SELECT COUNT(*) FROM idempotency_keys WHERE scope = ? AND idempotency_key = ?")
                .params(scope, key).query(Long.class).single();
    }

    private void expire(String scope, String key) {
        jdbc.sql("UPDATE idempotency_keys SET expires_at = now() - INTERVAL '1 second' WHERE scope = ? "
                + "AND idempotency_key = ?").params(scope, key).update();
    }

    private long failedAttempts(String bankAccountId) {
        return jdbc.sql("""
                        SELECT COUNT(*) FROM domain_event_entry
                        WHERE aggregate_identifier = ? AND payload_type LIKE '%BankAccountVerificationFailedEvent'""")
                .param(bankAccountId).query(Long.class).single();
    }
}
