package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import com.bankaccounts.platform.testing.PostgresTestDatabase;
import com.bankaccounts.query.projection.ProjectionRebuilds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The admin endpoints of projection rebuilds, and where a rebuild's state lives: in Axon's token store, so that every
 * node sees it, refuses a second one, and can carry it on.
 */
class ProjectionReplayTest extends ProjectionReplaySupport {

    @Test
    void listsEveryProjectionWithItsPosition() {
        TestAccount account = newAccount(true);
        createBankAccount(account, uniqueTestNumber());
        JsonNode items = projections(api);
        List<String> names = new ArrayList<>();
        for (JsonNode item : items) {
            names.add(item.get("name").asString());
            assertThat(item.get("mode").asString()).as(item.toString()).isEqualTo("subscribing");
            assertThat(item.get("position").isIntegralNumber()).as(item.toString()).isTrue();
            assertThat(item.get("position").asLong()).as(item.toString()).isPositive()
                    .isLessThanOrEqualTo(item.get("head").asLong());
            assertThat(item.get("replaying").isBoolean()).as(item.toString()).isTrue();
            assertThat(item.get("replaying").asBoolean()).as(item.toString()).isFalse();
            assertThat(item.has("rebuildPosition")).as(item.toString()).isFalse();
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(PROJECTIONS);
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
        for (String name : PROJECTIONS) {
            assertThat(rebuildTokens(name)).as(name).isZero();
        }
    }

    @Test
    void anUnknownProjectionIsNotFound() {
        for (String name : List.of("nonsense", "approval-registry", "bank-account-registry", "approvals-rebuild")) {
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
        TestAccount account = newAccount(true);
        transfer(account, createdBankAccount(createBankAccount(account, uniqueTestNumber())), "withdrawal", "5");
        rebuilds.holdSwitch("funds-transfers", true);
        JsonNode started = startReplay("funds-transfers");
        assertThat(rebuildTokens("funds-transfers")).isEqualTo(ProjectionRebuilds.SEGMENTS);

        Response again = api.post("/api/admin/projections/funds-transfers/replay", ADMIN_KEY, null);
        assertThat(again.status()).as(again.toString()).isEqualTo(403);
        assertThat(again.message()).isEqualTo("REPLAY_IN_PROGRESS");
        assertThat(projection("funds-transfers").get("replayStartedAt")).isEqualTo(started.get("replayStartedAt"));
        // Another projection's rebuild is independent.
        replay("approvals");

        rebuilds.holdSwitch("funds-transfers", false);
        awaitReplayed("funds-transfers", started);
        // A finished one can run again.
        replay("funds-transfers");
    }

    /**
     * Two nodes on one database: a rebuild started on one is seen by the other, refused there a second time, and
     * finished by the other when the first leaves, since its state is nothing but its processor's tokens.
     */
    @Test
    void aRebuildIsSharedByEveryNodeThroughTheTokenStore() {
        Fixture fixture = buildState();
        var before = snapshot(fixture);
        var approvalRows = rows("approval_view", "id");
        rebuilds.holdSwitch("approvals", true);
        JsonNode started;
        try (ConfigurableApplicationContext other = new SpringApplicationBuilder(BankAccountsApplication.class)
                .initializers(new PostgresTestDatabase())
                .run("--server.port=0", "--app.admin-api-key=" + ADMIN_KEY,
                        "--app.token-encryption-key=" + TOKEN_KEY)) {
            other.getBean(ProjectionRebuilds.class).holdSwitch("approvals", true);
            ApiClient otherNode = new ApiClient(Integer.parseInt(
                    other.getEnvironment().getRequiredProperty("local.server.port")));

            started = startReplay(otherNode, "approvals");
            assertThat(rebuildTokens("approvals")).isEqualTo(ProjectionRebuilds.SEGMENTS);
            JsonNode seenHere = projection("approvals");
            assertThat(seenHere.get("replaying").asBoolean()).as(seenHere.toString()).isTrue();
            assertThat(seenHere.get("rebuildPosition").isIntegralNumber()).as(seenHere.toString()).isTrue();
            assertThat(seenHere.get("replayStartedAt")).isEqualTo(started.get("replayStartedAt"));
            Response again = api.post("/api/admin/projections/approvals/replay", ADMIN_KEY, null);
            assertThat(again.status()).as(again.toString()).isEqualTo(403);
            assertThat(again.message()).isEqualTo("REPLAY_IN_PROGRESS");

            JsonNode caughtUp = awaitRebuiltToHead("approvals");
            // The same shared state; it may have moved on since, if anything was appended meanwhile.
            assertThat(projection(otherNode, "approvals").get("rebuildPosition").asLong())
                    .isGreaterThanOrEqualTo(caughtUp.get("rebuildPosition").asLong());
            assertSameAnswers(snapshot(fixture), before);
        }
        // The other node has left; this one carries the rebuild on and switches it in.
        assertThat(rebuildTokens("approvals")).isEqualTo(ProjectionRebuilds.SEGMENTS);
        rebuilds.holdSwitch("approvals", false);
        awaitReplayed("approvals", started);
        assertSameAnswers(snapshot(fixture), before);
        assertThat(rows("approval_view", "id")).isEqualTo(approvalRows);
    }

    /** A migration of the live tables while a rebuild ran would be undone by its switch: the rebuild ends instead. */
    @Test
    void aRebuildWhoseLiveTablesChangedIsAbandoned() {
        connectionIntent(newAccount(true));
        rebuilds.holdSwitch("connection-intents", true);
        JsonNode started = startReplay("connection-intents");
        jdbc.sql("ALTER TABLE connection_intent_view ADD COLUMN migrated_meanwhile INTEGER").update();
        try {
            rebuilds.holdSwitch("connection-intents", false);
            await().atMost(Duration.ofSeconds(60)).until(() -> !projection("connection-intents").get("replaying")
                    .asBoolean());
            JsonNode status = projection("connection-intents");
            assertThat(status.get("replayStartedAt")).isEqualTo(started.get("replayStartedAt"));
            assertThat(status.get("replayError").asString()).isEqualTo("LiveTablesChanged");
            assertThat(rebuildTokens("connection-intents")).isZero();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = 'public'"
                    + " AND table_name = 'connection_intent_view' AND column_name = 'migrated_meanwhile'")
                    .query(Long.class).single()).isEqualTo(1);
        } finally {
            jdbc.sql("ALTER TABLE connection_intent_view DROP COLUMN migrated_meanwhile").update();
        }
        // Started again, it switches in.
        replay("connection-intents");
    }
}
