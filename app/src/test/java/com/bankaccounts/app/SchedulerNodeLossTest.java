package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * A task whose node died while running it (picked, its heartbeats stopped) is run by a live node within about a
 * minute. With db-scheduler's defaults it waited half an hour: a consent past its expiry kept its token that long.
 */
class SchedulerNodeLossTest extends ApiTestSupport {

    @Test
    void aTaskPickedByANodeThatDiedIsRunByAnother() {
        OffsetDateTime before = jdbc.sql("SELECT now()").query(OffsetDateTime.class).single();
        // As a node killed ten minutes ago leaves the abandoned-grant sweep it was running.
        assertThat(jdbc.sql("""
                        UPDATE scheduled_tasks SET picked = TRUE, picked_by = 'dead-node:1',
                            last_heartbeat = now() - INTERVAL '10 minutes',
                            execution_time = now() - INTERVAL '10 minutes', version = version + 1
                        WHERE task_name = 'abandoned-grants'""").update()).isOne();

        await().atMost(Duration.ofSeconds(90)).until(() -> jdbc.sql("""
                        SELECT last_success FROM scheduled_tasks WHERE task_name = 'abandoned-grants'""")
                .query(OffsetDateTime.class).optional().filter(success -> success.isAfter(before)).isPresent());

        assertThat(jdbc.sql("SELECT picked FROM scheduled_tasks WHERE task_name = 'abandoned-grants'")
                .query(Boolean.class).single()).isFalse();
    }
}
