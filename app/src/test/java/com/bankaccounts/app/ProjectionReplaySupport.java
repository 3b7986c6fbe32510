package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import com.bankaccounts.query.projection.ProjectionRebuilds;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Building state through the API, reading it back, and driving projection rebuilds through the admin endpoints. */
abstract class ProjectionReplaySupport extends ApiTestSupport {

    static final List<String> PROJECTIONS = List.of("approvals", "bank-accounts", "connection-intents",
            "funds-transfers");
    private static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(120);

    @Autowired
    protected ProjectionRebuilds rebuilds;

    /** What one account has built: ids of everything, to read back. */
    record Fixture(TestAccount account, List<String> bankAccountIds, List<String> approvalIds,
                   List<String> fundsTransferIds, List<String> connectionIntentIds) {
    }

    @AfterEach
    void letSwitchesGo() {
        PROJECTIONS.forEach(name -> rebuilds.holdSwitch(name, false));
    }

    // --- building state --------------------------------------------------------------------------------------

    protected String mediaUploadId(TestAccount account) {
        String boundary = "replay-test-boundary";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"evidence.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n"
                + "%PDF-1.7\n% evidence\n%%EOF\n"
                + "\r\n--" + boundary + "--\r\n";
        Response uploaded = api.send(api.request("/api/media-uploads", account.key())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.ISO_8859_1)))
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .build());
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
        return uploaded.text("id");
    }

    protected String requestApproval(TestAccount account, String bankAccountId) {
        Response approval = api.post("/api/bank-account-approvals", account.key(), ApiClient.map(
                "mediaUploadId", mediaUploadId(account), "bankAccountId", bankAccountId, "type", "settlement"));
        assertThat(approval.status()).as(approval.toString()).isEqualTo(200);
        return approval.text("id");
    }

    protected void review(String approvalId, String action, String reason) {
        Response reviewed = api.post("/api/bank-account-approvals/" + approvalId + "/" + action, ADMIN_KEY,
                reason == null ? ApiClient.map() : ApiClient.map("reason", reason));
        assertThat(reviewed.status()).as(action + " " + reviewed).isEqualTo(200);
    }

    protected String transfer(TestAccount account, String bankAccountId, String type, String amount) {
        Response transfer = api.post("/api/funds-transfers", account.key(),
                ApiClient.map("bankAccountId", bankAccountId, "type", type, "amount", amount));
        assertThat(transfer.status()).as(transfer.toString()).isEqualTo(200);
        return transfer.text("id");
    }

    protected static String createdBankAccount(Response created) {
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created.text("id");
    }

    protected String connectionIntent(TestAccount account) {
        Response intent = api.post("/api/bank-account-connection-intents", account.key(),
                ApiClient.map("accountId", account.id(), "type", "account-information-consent", "test", true));
        assertThat(intent.status()).as(intent.toString()).isEqualTo(200);
        return intent.text("id");
    }

    /**
     * Bank accounts with and without a direct debit authority, one verified through a transfer's statement code,
     * one with a failed verification attempt; transfers in both statuses; approvals created, approved, declined
     * and done; a connection intent.
     */
    protected Fixture buildState() {
        TestAccount account = newAccount(true);
        String plain = createdBankAccount(createBankAccount(account, uniqueTestNumber()));
        String authorized = createdBankAccount(createBankAccountWithAuthority(account, uniqueTestNumber()));
        String verified = createdBankAccount(createBankAccountWithAuthority(account, uniqueTestNumber()));
        String authorizedLater = createdBankAccount(createBankAccount(account, uniqueTestNumber()));
        Response authorization = api.post("/api/bank-accounts/" + authorizedLater + "/direct-debit-authorities",
                account.key(), authority());
        assertThat(authorization.status()).as(authorization.toString()).isEqualTo(200);

        List<String> transfers = new ArrayList<>();
        transfers.add(transfer(account, authorized, "topup", "1500"));
        transfers.add(transfer(account, plain, "withdrawal", "250"));
        String releasedTopUp = transfer(account, verified, "topup", "900");
        transfers.add(releasedTopUp);
        String code = statementCode(account, verified, releasedTopUp);
        String wrong = code.equals("0000") ? "0001" : "0000";
        Response failed = api.post("/api/bank-accounts/" + verified + "/verify", account.key(),
                ApiClient.map("verificationCode", wrong));
        assertThat(failed.message()).isEqualTo("VERIFICATION_CODE_INVALID");
        Response verification = api.post("/api/bank-accounts/" + verified + "/verify", account.key(),
                ApiClient.map("verificationCode", code));
        assertThat(verification.status()).as(verification.toString()).isEqualTo(200);
        transfers.add(transfer(account, verified, "topup", "100"));
        transfers.add(transfer(account, authorizedLater, "withdrawal", "42"));

        List<String> approvals = new ArrayList<>();
        String declined = requestApproval(account, plain);
        review(declined, "decline", "Statement is unreadable");
        approvals.add(declined);
        approvals.add(requestApproval(account, plain));
        String done = requestApproval(account, verified);
        review(done, "accept", "All details match");
        review(done, "complete", null);
        approvals.add(done);
        String approved = requestApproval(account, authorized);
        review(approved, "accept", null);
        approvals.add(approved);

        return new Fixture(account, List.of(plain, authorized, verified, authorizedLater), approvals, transfers,
                List.of(connectionIntent(account)));
    }

    // --- reading it back -------------------------------------------------------------------------------------

    private static List<String> paths(Fixture fixture) {
        List<String> paths = new ArrayList<>();
        paths.add("/api/accounts/" + fixture.account().id() + "/bank-accounts");
        paths.add("/api/accounts/" + fixture.account().id() + "/funds-transfers");
        paths.add("/api/bank-authorities");
        for (String id : fixture.bankAccountIds()) {
            paths.add("/api/bank-accounts/" + id);
            paths.add("/api/bank-authorities/" + id);
            paths.add("/api/bank-accounts/" + id + "/approvals");
            paths.add("/api/bank-accounts/" + id + "/test-statement");
        }
        for (String id : fixture.approvalIds()) {
            paths.add("/api/bank-account-approvals/" + id);
            paths.add("/api/bank-account-approvals/" + id + "/history");
        }
        for (String id : fixture.fundsTransferIds()) {
            paths.add("/api/funds-transfers/" + id);
        }
        for (String id : fixture.connectionIntentIds()) {
            paths.add("/api/bank-account-connection-intents/" + id);
        }
        return paths;
    }

    protected Map<String, Response> snapshot(Fixture fixture) {
        Map<String, Response> answers = new LinkedHashMap<>();
        for (String path : paths(fixture)) {
            answers.put(path, api.get(path, fixture.account().key()));
        }
        return answers;
    }

    protected static void assertSameAnswers(Map<String, Response> after, Map<String, Response> before) {
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String path : before.keySet()) {
            Response expected = before.get(path);
            Response actual = after.get(path);
            assertThat(actual.status()).as(path + " -> " + actual + ", was " + expected).isEqualTo(expected.status());
            assertThat(actual.json()).as(path).isEqualTo(expected.json());
        }
    }

    /**
     * Every row of a read-model table, in key order: a rebuild must give back exactly these. Timestamps are compared
     * to the millisecond, the precision of the event store (see ProjectionRebuildTest#aPageKeyIssuedBeforeAReplay...).
     */
    protected List<Map<String, Object>> rows(String table, String orderBy) {
        return jdbc.sql("SELECT * FROM " + table + " ORDER BY " + orderBy).query().listOfRows().stream()
                .map(row -> {
                    Map<String, Object> normalised = new LinkedHashMap<>();
                    row.forEach((column, value) -> normalised.put(column, value instanceof Timestamp timestamp
                            ? timestamp.toInstant().truncatedTo(ChronoUnit.MILLIS) : value));
                    return normalised;
                })
                .toList();
    }

    /**
     * The fixture's rows in every read-model table of a schema ({@code public}: the live ones; a rebuild's: the
     * tables it copies), in key order.
     */
    protected Map<String, List<Map<String, Object>>> fixtureRows(String schema, Fixture fixture) {
        String account = "'" + fixture.account().id() + "'";
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        for (String table : List.of("bank_account_view", "funds_transfer_view", "approval_view",
                "connection_intent_view")) {
            if (exists(schema + "." + table)) {
                tables.put(table, rows(schema + "." + table + " WHERE account_id = " + account, "id"));
            }
        }
        if (exists(schema + ".approval_activity_view")) {
            tables.put("approval_activity_view", rows(schema + ".approval_activity_view WHERE approval_id IN"
                    + " (SELECT id FROM " + schema + ".approval_view WHERE account_id = " + account + ")",
                    "approval_id, activity_number"));
        }
        return tables;
    }

    private boolean exists(String table) {
        return jdbc.sql("SELECT to_regclass(?) IS NOT NULL").param(table).query(Boolean.class).single();
    }

    // --- the admin endpoints ---------------------------------------------------------------------------------

    protected JsonNode projections(ApiClient client) {
        Response list = client.get("/api/admin/projections", ADMIN_KEY);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        return list.json().get("items");
    }

    protected JsonNode projection(String name) {
        return projection(api, name);
    }

    protected JsonNode projection(ApiClient client, String name) {
        for (JsonNode item : projections(client)) {
            if (item.get("name").asString().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    /** Starts a replay and answers what the admin sees of it at the start. */
    protected JsonNode startReplay(String name) {
        return startReplay(api, name);
    }

    protected JsonNode startReplay(ApiClient client, String name) {
        Response started = client.post("/api/admin/projections/" + name + "/replay", ADMIN_KEY, null);
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        JsonNode status = started.json();
        assertThat(status.get("name").asString()).isEqualTo(name);
        assertThat(status.get("replayStartedAt").asString()).as(status.toString()).isNotBlank();
        // A small rebuild on a busy machine can finish before the answer is read: then it is this one, finished.
        assertThat(status.get("replaying").asBoolean() || (status.has("replayFinishedAt")
                && status.get("replayFinishedAt").asString().compareTo(status.get("replayStartedAt").asString()) >= 0))
                .as(status.toString()).isTrue();
        return status;
    }

    /** Waits for the replay that answered {@code started} to finish, and answers its final status. */
    protected JsonNode awaitReplayed(String name, JsonNode started) {
        String startedAt = started.get("replayStartedAt").asString();
        try {
            await().atMost(REPLAY_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
                JsonNode status = projection(name);
                return status.has("replayStartedAt") && status.get("replayStartedAt").asString().equals(startedAt)
                        && !status.get("replaying").asBoolean()
                        && status.has("replayedEvents") && status.get("replayedEvents").asLong() > 0;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("replay of " + name + " started " + started + ", now " + projection(name), e);
        }
        JsonNode status = projection(name);
        assertThat(status.has("replayError")).as(status.toString()).isFalse();
        assertThat(status.has("rebuildPosition")).as(status.toString()).isFalse();
        assertThat(status.get("replayFinishedAt").asString()).isGreaterThanOrEqualTo(startedAt);
        assertThat(status.get("position").asLong()).isEqualTo(status.get("head").asLong());
        assertThat(rebuildTokens(name)).isZero();
        return status;
    }

    protected JsonNode replay(String name) {
        return awaitReplayed(name, startReplay(name));
    }

    /** Waits (the switch held) until the rebuild has followed the stream to the head, and answers its status. */
    protected JsonNode awaitRebuiltToHead(String name) {
        await().atMost(REPLAY_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode status = projection(name);
            return status.get("replaying").asBoolean()
                    && status.get("rebuildPosition").asLong() == status.get("head").asLong();
        });
        return projection(name);
    }

    /** The rebuild's state where every node finds it: its processor's rows in Axon's token store. */
    protected long rebuildTokens(String name) {
        return jdbc.sql("SELECT COUNT(*) FROM token_entry WHERE processor_name = ?").param(name + "-rebuild")
                .query(Long.class).single();
    }
}
