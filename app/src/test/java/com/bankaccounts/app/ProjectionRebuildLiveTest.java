package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * While a rebuild runs the live read model keeps serving, complete, and keeps taking writes; the switch to the rebuilt
 * tables loses none of them, even those racing it.
 */
class ProjectionRebuildLiveTest extends ProjectionReplaySupport {

    @Autowired
    DataSource dataSource;

    @Test
    void readsStayCompleteWhileARebuildRuns() {
        Fixture fixture = buildState();
        Map<String, Response> before = snapshot(fixture);
        Map<String, List<Map<String, Object>>> rows = fixtureRows("public", fixture);
        rebuilds.holdSwitch("approvals", true);

        JsonNode started = startReplay("approvals");
        assertSameAnswers(snapshot(fixture), before);
        JsonNode caughtUp = awaitRebuiltToHead("approvals");
        assertThat(caughtUp.get("replayStartedAt")).isEqualTo(started.get("replayStartedAt"));
        assertThat(caughtUp.get("position").asLong()).isEqualTo(caughtUp.get("head").asLong());
        assertSameAnswers(snapshot(fixture), before);
        // The rebuild's processor built the copies aside; they hold what the live tables hold.
        Map<String, List<Map<String, Object>>> copies = fixtureRows("rebuild_approvals", fixture);
        assertThat(copies.get("approval_view")).isEqualTo(rows.get("approval_view")).isNotEmpty();
        assertThat(copies.get("approval_activity_view")).isEqualTo(rows.get("approval_activity_view"));

        rebuilds.holdSwitch("approvals", false);
        awaitReplayed("approvals", started);
        assertSameAnswers(snapshot(fixture), before);
        assertThat(fixtureRows("public", fixture)).isEqualTo(rows);
    }

    @Test
    void aSwitchKeptWaitingByABusyLiveTableIsNoErrorAndGoesThroughOnceItIsFree() throws Exception {
        Fixture fixture = buildState();
        Map<String, Response> before = snapshot(fixture);
        rebuilds.holdSwitch("approvals", true);
        JsonNode started = startReplay("approvals");
        awaitRebuiltToHead("approvals");
        // A reader's transaction left open on a live table: the switch's lock waits for it, gives up after 2 s.
        try (Connection reader = dataSource.getConnection()) {
            reader.setAutoCommit(false);
            try (Statement read = reader.createStatement()) {
                read.execute("SELECT 1 FROM approval_view LIMIT 1");
            }
            rebuilds.holdSwitch("approvals", false);
            Timestamp firstTry = await().atMost(Duration.ofSeconds(30)).until(this::switchWaitingOnApprovals,
                    Optional::isPresent).get();
            // A second try (a transaction of its own) begins only once the first one's failure was dealt with.
            await().atMost(Duration.ofSeconds(30)).until(this::switchWaitingOnApprovals,
                    waiting -> waiting.isPresent() && !waiting.get().equals(firstTry));
            JsonNode waiting = projection("approvals");
            assertThat(waiting.get("replaying").asBoolean()).as(waiting.toString()).isTrue();
            assertThat(waiting.has("replayError")).as(waiting.toString()).isFalse();
            reader.rollback();
        }
        awaitReplayed("approvals", started);
        assertSameAnswers(snapshot(fixture), before);
    }

    /** When a transaction waiting for a lock on {@code approval_view} began, if one waits now. */
    private Optional<Timestamp> switchWaitingOnApprovals() {
        return jdbc.sql("""
                        SELECT a.xact_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                        WHERE NOT l.granted AND l.relation = 'public.approval_view'::regclass""")
                .query(Timestamp.class).optional();
    }

    @Test
    void writesDuringABankAccountsRebuildAndItsSwitchAreNotLost() throws Exception {
        List<TestAccount> accounts = List.of(newAccount(true), newAccount(true), newAccount(true));
        Map<String, Response> created = new ConcurrentHashMap<>();
        Map<String, TestAccount> owners = new ConcurrentHashMap<>();
        rebuilds.holdSwitch("bank-accounts", true);
        JsonNode started = startReplay("bank-accounts");

        // Written while the rebuild runs: each is read back at once, from the live table.
        for (int i = 0; i < 6; i++) {
            TestAccount account = accounts.get(i % accounts.size());
            Response response = createBankAccount(account, uniqueTestNumber());
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            created.put(response.text("id"), response);
            owners.put(response.text("id"), account);
            assertThat(api.get("/api/bank-accounts/" + response.text("id"), account.key()).json())
                    .isEqualTo(response.json());
        }
        assertThat(projection("bank-accounts").get("replaying").asBoolean()).isTrue();

        // And racing the switch, from another client, until the rebuild is over.
        AtomicBoolean switched = new AtomicBoolean();
        ApiClient racer = new ApiClient(port);
        CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
            for (int i = 0; !switched.get() && i < 24; i++) {
                TestAccount account = accounts.get(i % accounts.size());
                Response response = i % 2 == 0 ? racer.post("/api/bank-accounts", account.key(), ApiClient.map(
                                "bankAccountNumber", uniqueTestNumber(), "bankAccountName", "John Doe"))
                        : racer.post("/api/bank-accounts", account.key(), ApiClient.map(
                                "bankAccountNumber", uniqueTestNumber(), "bankAccountName", "John Doe",
                                "directDebitAuthority", authority()));
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
                created.put(response.text("id"), response);
                owners.put(response.text("id"), account);
            }
        });
        // And read, from a third client, through the switch: every answer complete.
        String firstId = created.keySet().iterator().next();
        TestAccount firstOwner = owners.get(firstId);
        ApiClient reader = new ApiClient(port);
        CompletableFuture<Integer> reads = CompletableFuture.supplyAsync(() -> {
            int count = 0;
            for (; !switched.get(); count++) {
                Response read = reader.get("/api/bank-accounts/" + firstId, firstOwner.key());
                assertThat(read.json()).as(read.toString()).isEqualTo(created.get(firstId).json());
                JsonNode listed = reader.get("/api/accounts/" + firstOwner.id() + "/bank-accounts",
                        firstOwner.key()).json();
                assertThat(listed.size()).as(listed.toString()).isGreaterThanOrEqualTo(2);
            }
            return count;
        });
        rebuilds.holdSwitch("bank-accounts", false);
        awaitReplayed("bank-accounts", started);
        switched.set(true);
        writes.get();
        assertThat(reads.get()).isPositive();

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

        rebuilds.holdSwitch("approvals", true);
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
        assertThat(projection("approvals").get("replaying").asBoolean()).isTrue();
        rebuilds.holdSwitch("approvals", false);
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
