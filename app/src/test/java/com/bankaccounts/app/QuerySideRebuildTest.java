package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.platform.axon.CustomPlanTransactionManager;
import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import com.bankaccounts.platform.testing.PostgresTestDatabase;
import com.bankaccounts.query.webhook.WebhookFanOut;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.util.ReflectionTestUtils;
import tools.jackson.databind.JsonNode;

/**
 * A query-side process on its own (profile query-only, its projections tracking the event store) rebuilds the same
 * way, beside the assembly on the same database: its live processor keeps writing the live tables, and the switch
 * loses none of its writes.
 */
class QuerySideRebuildTest extends ProjectionReplaySupport {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void aQuerySideProcessRebuildsItsStreamingProjections() {
        Fixture fixture = buildState();
        Map<String, Response> before = snapshot(fixture);
        Map<String, List<Map<String, Object>>> rows = fixtureRows("public", fixture);
        try (ConfigurableApplicationContext querySide = startQuerySideProcess(new PostgresTestDatabase())) {
            ApiClient queryNode = clientOf(querySide);
            PooledStreamingEventProcessor approvals = querySide.getBean(EventProcessingConfiguration.class)
                    .eventProcessor("approvals", PooledStreamingEventProcessor.class).orElseThrow();
            assertThat(ReflectionTestUtils.getField(approvals, "batchSize")).isEqualTo(100);
            await().atMost(TIMEOUT).until(() -> approvals.processingStatus().size() == 2);
            // Its read models' transactions plan each statement for the tables as they are (a read model caught up
            // from empty grows fast); the fan-out's keep PostgreSQL's cached plans.
            assertThat(planCacheMode(querySide, "approvals")).isEqualTo(CustomPlanTransactionManager.PLAN_CACHE_MODE);
            assertThat(planCacheMode(querySide, WebhookFanOut.PROCESSING_GROUP)).isEqualTo("auto");
            JsonNode status = projection(queryNode, "approvals");
            assertThat(status.get("mode").asString()).as(status.toString()).isEqualTo("streaming");
            // Its live processor catches up with the stream (idempotent over what the assembly wrote).
            await().atMost(TIMEOUT).until(() -> {
                JsonNode live = projection(queryNode, "approvals");
                return live.get("position").asLong() == live.get("head").asLong();
            });
            // It records each approval event for the fan-out, without a body: the account has no endpoint.
            Map<String, Object> recorded = jdbc.sql("""
                            SELECT COUNT(*) AS events, COUNT(body) AS bodies FROM webhook_event
                            WHERE account_id = ? AND type LIKE 'approval.%'""")
                    .param(fixture.account().id()).query().singleRow();
            assertThat(((Number) recorded.get("events")).intValue()).isGreaterThanOrEqualTo(
                    fixture.approvalIds().size());
            assertThat(((Number) recorded.get("bodies")).intValue()).isZero();

            Response started = queryNode.post("/api/admin/projections/approvals/replay", ADMIN_KEY, null);
            assertThat(started.status()).as(started.toString()).isEqualTo(200);
            String startedAt = started.text("replayStartedAt");
            // Writes meanwhile, through the assembly: the query node's live processor applies them too.
            String later = requestApproval(fixture.account(), fixture.bankAccountIds().get(1));
            review(later, "decline", "during the rebuild");
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
                JsonNode rebuilt = projection(queryNode, "approvals");
                return !rebuilt.get("replaying").asBoolean()
                        && startedAt.equals(rebuilt.get("replayStartedAt").asString())
                        && rebuilt.has("replayFinishedAt");
            });
            assertThat(projection(queryNode, "approvals").has("replayError")).isFalse();
            assertThat(rebuildTokens("approvals")).isZero();

            assertThat(queryNode.get("/api/bank-account-approvals/" + later, fixture.account().key()).text("status"))
                    .isEqualTo("declined");
            for (String path : before.keySet()) {
                if (path.startsWith("/api/bank-account-approvals/")) {
                    assertThat(queryNode.get(path, fixture.account().key()).json()).as(path)
                            .isEqualTo(before.get(path).json());
                }
            }
        }
        Map<String, List<Map<String, Object>>> after = fixtureRows("public", fixture);
        assertThat(after.get("bank_account_view")).isEqualTo(rows.get("bank_account_view"));
        assertThat(after.get("approval_view")).hasSize(rows.get("approval_view").size() + 1);
        assertThat(api.get("/api/bank-account-approvals/" + fixture.approvalIds().get(0), fixture.account().key())
                .json()).isEqualTo(before.get("/api/bank-account-approvals/" + fixture.approvalIds().get(0)).json());
    }

    private static String planCacheMode(ConfigurableApplicationContext context, String processor) {
        Transaction transaction = context.getBean(EventProcessingConfiguration.class).transactionManager(processor)
                .startTransaction();
        try {
            return context.getBean(JdbcClient.class).sql("SHOW plan_cache_mode").query(String.class).single();
        } finally {
            transaction.rollback();
        }
    }
}
