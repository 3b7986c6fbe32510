package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Rebuilding read models from the event store: wipe a read model, replay its projection through the admin
 * endpoint, and every answer of the API is what it was.
 */
class ProjectionReplayTest extends ApiTestSupport {

    private static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(120);

    /** What one account has built: ids of everything, to read back. */
    private record Fixture(TestAccount account, List<String> bankAccountIds, List<String> approvalIds,
                           List<String> fundsTransferIds) {
    }

    // --- building state --------------------------------------------------------------------------------------

    private String mediaUploadId(TestAccount account) {
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

    private String requestApproval(TestAccount account, String bankAccountId) {
        Response approval = api.post("/api/bank-account-approvals", account.key(), ApiClient.map(
                "mediaUploadId", mediaUploadId(account), "bankAccountId", bankAccountId, "type", "settlement"));
        assertThat(approval.status()).as(approval.toString()).isEqualTo(200);
        return approval.text("id");
    }

    private void review(String approvalId, String action, String reason) {
        Response reviewed = api.post("/api/bank-account-approvals/" + approvalId + "/" + action, ADMIN_KEY,
                reason == null ? ApiClient.map() : ApiClient.map("reason", reason));
        assertThat(reviewed.status()).as(action + " " + reviewed).isEqualTo(200);
    }

    private String transfer(TestAccount account, String bankAccountId, String type, String amount) {
        Response transfer = api.post("/api/funds-transfers", account.key(),
                ApiClient.map("bankAccountId", bankAccountId, "type", type, "amount", amount));
        assertThat(transfer.status()).as(transfer.toString()).isEqualTo(200);
        return transfer.text("id");
    }

    private String createdBankAccount(Response created) {
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created.text("id");
    }

    /**
     * Bank accounts with and without a direct debit authority, one verified through a transfer's statement code,
     * one with a failed verification attempt; transfers in both statuses; approvals created, approved, declined
     * and done.
     */
    private Fixture buildState() {
        TestAccount account = newAccount(true);
        String plain = createdBankAccount(createBankAccount(account, uniqueTestNumber()));
        String authorized = createdBankAccount(createBankAccountWithAuthority(account, uniqueTestNumber()));
        String verified = createdBankAccount(createBankAccountWithAuthority(account, uniqueTestNumber()));
        String authorizedLater = createdBankAccount(createBankAccount(account, uniqueTestNumber()));
        Response authorization = api.post("/api/bank-accounts/" + authorizedLater + "/direct-debit-authorities",
                account.key(), authority());
        assertThat(authorization.status()).as(authorization.toString()).isEqualTo(200);

        List<String> transfers = new ArrayList<>();
        String pendingTopUp = transfer(account, authorized, "topup", "1500");
        transfers.add(pendingTopUp);
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

        return new Fixture(account, List.of(plain, authorized, verified, authorizedLater), approvals, transfers);
    }

    // --- reading it back -------------------------------------------------------------------------------------

    private List<String> paths(Fixture fixture) {
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
        return paths;
    }

    private Map<String, Response> snapshot(Fixture fixture) {
        Map<String, Response> answers = new LinkedHashMap<>();
        for (String path : paths(fixture)) {
            answers.put(path, api.get(path, fixture.account().key()));
        }
        return answers;
    }

    private static void assertSameAnswers(Map<String, Response> after, Map<String, Response> before) {
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
     * to the millisecond, the precision of the event store (see {@link #aPageKeyIssuedBeforeAReplayStillWorks}).
     */
    private List<Map<String, Object>> rows(String table, String orderBy) {
        return jdbc.sql("SELECT * FROM " + table + " ORDER BY " + orderBy).query().listOfRows().stream()
                .map(row -> {
                    Map<String, Object> normalised = new LinkedHashMap<>();
                    row.forEach((column, value) -> normalised.put(column, value instanceof Timestamp timestamp
                            ? timestamp.toInstant().truncatedTo(ChronoUnit.MILLIS) : value));
                    return normalised;
                })
                .toList();
    }

    // --- the admin endpoints ---------------------------------------------------------------------------------

    private JsonNode projections() {
        Response list = api.get("/api/admin/projections", ADMIN_KEY);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        return list.json().get("items");
    }

    private JsonNode projection(String name) {
        for (JsonNode item : projections()) {
            if (item.get("name").asString().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no projection " + name + " in " + projections());
    }

    /** Starts a replay and answers what the admin sees of it at the start. */
    private JsonNode startReplay(String name) {
        Response started = api.post("/api/admin/projections/" + name + "/replay", ADMIN_KEY, null);
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        JsonNode status = started.json();
        assertThat(status.get("name").asString()).isEqualTo(name);
        assertThat(status.get("replayStartedAt").asString()).as(status.toString()).isNotBlank();
        return status;
    }

    /** Waits for the replay that answered {@code started} to finish, and answers its final status. */
    private JsonNode awaitReplayed(String name, JsonNode started) {
        String startedAt = started.get("replayStartedAt").asString();
        await().atMost(REPLAY_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode status = projection(name);
            return status.has("replayStartedAt") && status.get("replayStartedAt").asString().equals(startedAt)
                    && !status.get("replaying").asBoolean()
                    && status.has("replayedEvents") && status.get("replayedEvents").asLong() > 0;
        });
        JsonNode status = projection(name);
        assertThat(status.has("replayError")).as(status.toString()).isFalse();
        assertThat(status.get("replayFinishedAt").asString()).isGreaterThanOrEqualTo(startedAt);
        assertThat(status.get("position").asLong()).isEqualTo(status.get("head").asLong());
        return status;
    }

    private JsonNode replay(String name) {
        return awaitReplayed(name, startReplay(name));
    }

    // --- tests -----------------------------------------------------------------------------------------------

    @Test
    void listsEveryProjectionWithItsPosition() {
        TestAccount account = newAccount(true);
        createBankAccount(account, uniqueTestNumber());
        JsonNode items = projections();
        List<String> names = new ArrayList<>();
        for (JsonNode item : items) {
            names.add(item.get("name").asString());
            assertThat(item.get("position").isIntegralNumber()).as(item.toString()).isTrue();
            assertThat(item.get("position").asLong()).as(item.toString()).isPositive()
                    .isLessThanOrEqualTo(item.get("head").asLong());
            assertThat(item.get("replaying").isBoolean()).as(item.toString()).isTrue();
            assertThat(item.get("replaying").asBoolean()).as(item.toString()).isFalse();
        }
        assertThat(names).containsExactlyInAnyOrder("approvals", "bank-accounts", "connection-intents",
                "funds-transfers");
        Response one = api.get("/api/admin/projections/approvals", ADMIN_KEY);
        assertThat(one.status()).as(one.toString()).isEqualTo(200);
        assertThat(one.text("name")).isEqualTo("approvals");
    }

    @Test
    void onlyTheAdminKeySeesAndReplaysProjections() {
        TestAccount account = newAccount(true);
        for (String path : List.of("/api/admin/projections", "/api/admin/projections/approvals")) {
            Response refused = api.get(path, account.key());
            assertThat(refused.status()).as(path + " -> " + refused).isEqualTo(403);
            assertThat(refused.message()).isEqualTo("ADMIN_KEY_REQUIRED");
        }
        for (String name : List.of("approvals", "bank-accounts", "funds-transfers", "nonsense")) {
            Response refused = api.post("/api/admin/projections/" + name + "/replay", account.key(), null);
            assertThat(refused.status()).as(name + " -> " + refused).isEqualTo(403);
            assertThat(refused.message()).isEqualTo("ADMIN_KEY_REQUIRED");
        }
        assertThat(api.get("/api/admin/projections", null).status()).isEqualTo(401);
        assertThat(api.post("/api/admin/projections/approvals/replay", null, null).status()).isEqualTo(401);
        assertThat(api.get("/api/admin/projections", account.key() + "x").status()).isEqualTo(401);
    }

    @Test
    void anUnknownProjectionIsNotFound() {
        for (String name : List.of("nonsense", "approval-registry", "bank-account-registry")) {
            Response replay = api.post("/api/admin/projections/" + name + "/replay", ADMIN_KEY, null);
            assertThat(replay.status()).as(name + " -> " + replay).isEqualTo(404);
            assertThat(replay.message()).isEqualTo("PROJECTION_NOT_FOUND");
            Response status = api.get("/api/admin/projections/" + name, ADMIN_KEY);
            assertThat(status.status()).as(name + " -> " + status).isEqualTo(404);
            assertThat(status.message()).isEqualTo("PROJECTION_NOT_FOUND");
        }
    }

    @Test
    void aSecondReplayWhileOneRunsIsRefused() {
        // A replay follows the event stream until it has been quiet for a second, so it is still running here.
        JsonNode started = startReplay("funds-transfers");
        Response again = api.post("/api/admin/projections/funds-transfers/replay", ADMIN_KEY, null);
        assertThat(again.status()).as(again.toString()).isEqualTo(403);
        assertThat(again.message()).isEqualTo("REPLAY_IN_PROGRESS");
        awaitReplayed("funds-transfers", started);
        // Another projection's replay is independent, and a finished one can run again.
        replay("approvals");
        replay("funds-transfers");
    }

    @Test
    void theApprovalsProjectionIsRebuiltFromTheEventStore() {
        Fixture fixture = buildState();
        Map<String, Response> before = snapshot(fixture);
        List<Map<String, Object>> approvalRows = rows("approval_view", "id");
        List<Map<String, Object>> activityRows = rows("approval_activity_view", "approval_id, activity_number");
        String approvalId = fixture.approvalIds().get(2);
        String bankAccountId = fixture.bankAccountIds().get(0);

        jdbc.sql("DELETE FROM approval_activity_view").update();
        jdbc.sql("DELETE FROM approval_view").update();
        JsonNode started;
        try {
            Map<String, Response> wiped = snapshot(fixture);
            Response approval = wiped.get("/api/bank-account-approvals/" + approvalId);
            assertThat(approval.status()).as(approval.toString()).isEqualTo(404);
            assertThat(approval.message()).isEqualTo("APPROVAL_NOT_FOUND");
            assertThat(wiped.get("/api/bank-accounts/" + bankAccountId + "/approvals").json().get("items").size())
                    .isZero();
            assertThat(wiped.get("/api/bank-accounts/" + bankAccountId).json().get("approvals").size()).isZero();
            // The history comes from the event store, so it does not depend on the read model.
            assertThat(wiped.get("/api/bank-account-approvals/" + approvalId + "/history").json())
                    .isEqualTo(before.get("/api/bank-account-approvals/" + approvalId + "/history").json());
        } finally {
            started = startReplay("approvals");
        }
        assertThat(started.get("replaying").asBoolean()).as(started.toString()).isTrue();
        awaitReplayed("approvals", started);

        assertSameAnswers(snapshot(fixture), before);
        assertThat(rows("approval_view", "id")).isEqualTo(approvalRows);
        assertThat(rows("approval_activity_view", "approval_id, activity_number")).isEqualTo(activityRows);
    }

    @Test
    void theBankAccountsProjectionIsRebuiltFromTheEventStore() {
        Fixture fixture = buildState();
        Map<String, Response> before = snapshot(fixture);
        List<Map<String, Object>> bankAccountRows = rows("bank_account_view", "id");
        String bankAccountId = fixture.bankAccountIds().get(2);

        jdbc.sql("DELETE FROM bank_account_view").update();
        try {
            Map<String, Response> wiped = snapshot(fixture);
            Response bankAccount = wiped.get("/api/bank-accounts/" + bankAccountId);
            assertThat(bankAccount.status()).as(bankAccount.toString()).isEqualTo(404);
            assertThat(bankAccount.message()).isEqualTo("BANK_ACCOUNT_NOT_FOUND");
            assertThat(wiped.get("/api/accounts/" + fixture.account().id() + "/bank-accounts").json().size())
                    .isZero();
        } finally {
            replay("bank-accounts");
        }

        assertSameAnswers(snapshot(fixture), before);
        assertThat(rows("bank_account_view", "id")).isEqualTo(bankAccountRows);
    }

    @Test
    void theFundsTransfersProjectionIsRebuiltFromTheEventStore() {
        Fixture fixture = buildState();
        Map<String, Response> before = snapshot(fixture);
        List<Map<String, Object>> transferRows = rows("funds_transfer_view", "id");
        String fundsTransferId = fixture.fundsTransferIds().get(0);

        jdbc.sql("DELETE FROM funds_transfer_view").update();
        try {
            Map<String, Response> wiped = snapshot(fixture);
            Response transfer = wiped.get("/api/funds-transfers/" + fundsTransferId);
            assertThat(transfer.status()).as(transfer.toString()).isEqualTo(404);
            assertThat(transfer.message()).isEqualTo("FUNDS_TRANSFER_NOT_FOUND");
            assertThat(wiped.get("/api/accounts/" + fixture.account().id() + "/funds-transfers").json()
                    .get("items").size()).isZero();
            assertThat(wiped.get("/api/bank-accounts/" + fixture.bankAccountIds().get(2) + "/test-statement").json()
                    .get("items").size()).isZero();
        } finally {
            replay("funds-transfers");
        }

        assertSameAnswers(snapshot(fixture), before);
        assertThat(rows("funds_transfer_view", "id")).isEqualTo(transferRows);
    }

    @Test
    void aPageKeyIssuedBeforeAReplayStillWorks() {
        TestAccount account = newAccount(true);
        String bankAccountId = createdBankAccount(createBankAccount(account, uniqueTestNumber()));
        for (int i = 1; i <= 27; i++) {
            transfer(account, bankAccountId, "withdrawal", Integer.toString(i));
        }
        String path = "/api/accounts/" + account.id() + "/funds-transfers";
        Response first = api.get(path, account.key());
        String nextPageKey = first.text("nextPageKey");
        assertThat(nextPageKey).as(first.toString()).isNotBlank();
        Response second = api.get(path + "?pageKey=" + nextPageKey, account.key());
        assertThat(second.json().get("items").size()).isEqualTo(2);

        replay("funds-transfers");

        String bug = "a replay must not change a paged list. Production bug: the subscribing projections store the"
                + " event's in-memory timestamp (microseconds) in funds_transfer_view.created_at, but Axon's JDBC event"
                + " store keeps timestamps to the millisecond (DateTimeUtils.formatInstant), so the replay truncates"
                + " created_at; the page key encodes microseconds of created_at, so an old key now repeats the last"
                + " item of page 1 on page 2, and page 1's nextPageKey changes";
        assertThat(api.get(path + "?pageKey=" + nextPageKey, account.key()).json()).as(bug).isEqualTo(second.json());
        assertThat(api.get(path, account.key()).json()).as(bug).isEqualTo(first.json());
    }

    @Test
    void aReplayOfAnIntactReadModelChangesNothing() {
        Fixture fixture = buildState();
        Map<String, Response> before = snapshot(fixture);
        for (String name : List.of("approvals", "bank-accounts", "funds-transfers")) {
            replay(name);
            assertSameAnswers(snapshot(fixture), before);
        }
    }

    @Test
    void writesDuringABankAccountsReplayAreNotLost() {
        List<TestAccount> accounts = List.of(newAccount(true), newAccount(true), newAccount(true));
        Map<String, Response> created = new LinkedHashMap<>();
        Map<String, TestAccount> owners = new LinkedHashMap<>();

        JsonNode started = startReplay("bank-accounts");
        int i = 0;
        // Writes from the first moment of the replay until it ends (at most 10 per account).
        while (i < 30 && (i < 6 || projection("bank-accounts").get("replaying").asBoolean())) {
            TestAccount account = accounts.get(i % accounts.size());
            Response response = i % 2 == 0 ? createBankAccount(account, uniqueTestNumber())
                    : createBankAccountWithAuthority(account, uniqueTestNumber());
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            created.put(response.text("id"), response);
            owners.put(response.text("id"), account);
            i++;
        }
        JsonNode finished = awaitReplayed("bank-accounts", started);
        String startedAt = started.get("replayStartedAt").asString();
        String finishedAt = finished.get("replayFinishedAt").asString();
        assertThat(created.values().stream().map(r -> r.text("createdAt")))
                .as("some writes were made while the replay ran (%s to %s)", startedAt, finishedAt)
                .anyMatch(at -> at.compareTo(startedAt) >= 0 && at.compareTo(finishedAt) <= 0);

        for (Map.Entry<String, Response> entry : created.entrySet()) {
            Response read = api.get("/api/bank-accounts/" + entry.getKey(), owners.get(entry.getKey()).key());
            assertThat(read.status()).as(entry.getKey() + " -> " + read).isEqualTo(200);
            assertThat(read.json()).isEqualTo(entry.getValue().json());
        }
        for (TestAccount account : accounts) {
            JsonNode listed = api.get("/api/accounts/" + account.id() + "/bank-accounts", account.key()).json();
            List<String> ids = new ArrayList<>();
            listed.forEach(item -> ids.add(item.get("id").asString()));
            List<String> expected = owners.entrySet().stream()
                    .filter(owner -> owner.getValue().equals(account)).map(Map.Entry::getKey).toList();
            assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void writesDuringAnApprovalsReplayAreNotLost() {
        TestAccount account = newAccount(true);
        List<String> bankAccountIds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            bankAccountIds.add(createdBankAccount(createBankAccount(account, uniqueTestNumber())));
        }
        List<String> mediaUploads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            mediaUploads.add(mediaUploadId(account));
        }

        JsonNode started = startReplay("approvals");
        List<String> approvalIds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Response approval = api.post("/api/bank-account-approvals", account.key(), ApiClient.map(
                    "mediaUploadId", mediaUploads.get(i), "bankAccountId", bankAccountIds.get(i),
                    "type", "settlement"));
            assertThat(approval.status()).as(approval.toString()).isEqualTo(200);
            String approvalId = approval.text("id");
            approvalIds.add(approvalId);
            if (i % 3 == 1) {
                review(approvalId, "accept", "ok " + i);
            } else if (i % 3 == 2) {
                review(approvalId, "decline", "no " + i);
            }
        }
        awaitReplayed("approvals", started);

        List<String> expectedStatuses = List.of("created", "approved", "declined", "created", "approved", "declined");
        for (int i = 0; i < approvalIds.size(); i++) {
            String approvalId = approvalIds.get(i);
            Response read = api.get("/api/bank-account-approvals/" + approvalId, account.key());
            assertThat(read.status()).as(approvalId + " -> " + read).isEqualTo(200);
            assertThat(read.text("status")).isEqualTo(expectedStatuses.get(i));
            JsonNode activities = read.json().get("approvalActivities");
            assertThat(activities.size()).as(read.toString()).isEqualTo(i % 3 == 0 ? 1 : 2);
            JsonNode history = api.get("/api/bank-account-approvals/" + approvalId + "/history", account.key())
                    .json().get("items");
            assertThat(history.size()).isEqualTo(activities.size());
            for (int n = 0; n < history.size(); n++) {
                JsonNode entry = history.get(n);
                assertThat(activities.get(n).get("activityType")).isEqualTo(entry.get("activityType"));
                assertThat(activities.get(n).get("createdAt")).isEqualTo(entry.get("createdAt"));
                assertThat(activities.get(n).get("createdBy")).isEqualTo(entry.get("createdBy"));
                assertThat(activities.get(n).get("reason")).isEqualTo(entry.get("reason"));
            }
            JsonNode listed = api.get("/api/bank-accounts/" + bankAccountIds.get(i) + "/approvals", account.key())
                    .json().get("items");
            assertThat(listed.size()).isEqualTo(1);
            assertThat(listed.get(0)).isEqualTo(read.json());
            JsonNode summary = api.get("/api/bank-accounts/" + bankAccountIds.get(i), account.key()).json()
                    .get("approvals");
            assertThat(summary.size()).isEqualTo(1);
            assertThat(summary.get(0).get("status").asString()).isEqualTo(expectedStatuses.get(i));
            assertThat(summary.get(0).get("updatedAt")).isEqualTo(read.json().get("modifiedAt"));
        }
    }
}
