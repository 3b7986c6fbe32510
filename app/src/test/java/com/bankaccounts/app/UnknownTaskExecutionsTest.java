package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.command.scheduling.SchedulingConfiguration;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.event.SchedulerListener.SchedulerEventType;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A node without {@code OPEN_BANKING_REVOCATION_URL} does not know the provider token revocation task, and leaves its
 * executions to the nodes that do, however long it has seen them: with db-scheduler's default it deleted them all
 * after 14 days, and those tokens were never revoked at the provider.
 */
class UnknownTaskExecutionsTest extends ApiTestSupport {

    @Autowired
    DataSource dataSource;

    @Test
    void aNodeKeepsTheExecutionsOfATaskItDoesNotKnow() {
        // A table of its own, so the application's scheduler neither sees nor runs what this node is shown.
        jdbc.sql("CREATE TABLE unknown_tasks_probe (LIKE scheduled_tasks INCLUDING ALL)").update();
        try {
            jdbc.sql("""
                    INSERT INTO unknown_tasks_probe (task_name, task_instance, execution_time, picked, version)
                    VALUES ('provider-token-revocation', 'grant-1', now() - INTERVAL '1 minute', FALSE, 1)""")
                    .update();
            SettableClock clock = new SettableClock();
            EventCounts seen = new EventCounts();
            Scheduler node = SchedulingConfiguration.schedulerOf(dataSource, List.of(), List.of(),
                            Duration.ofMillis(50), 1)
                    .tableName("unknown_tasks_probe").clock(clock).heartbeatInterval(Duration.ofMillis(50))
                    .addSchedulerListener(seen).build();
            node.start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.unresolved.get() > 0);
                clock.tick(Duration.ofDays(15));
                int checks = seen.deadDetections.get();
                // Two checks for dead executions after the clock moved: the second surely saw 15 days.
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.deadDetections.get() >= checks + 2);
            } finally {
                node.stop();
            }
            assertThat(jdbc.sql("SELECT COUNT(*) FROM unknown_tasks_probe WHERE task_name = 'provider-token-revocation'")
                    .query(Integer.class).single()).isOne();
        } finally {
            jdbc.sql("DROP TABLE unknown_tasks_probe").update();
        }
    }

    private static final class EventCounts extends AbstractSchedulerListener {
        final AtomicInteger unresolved = new AtomicInteger();
        final AtomicInteger deadDetections = new AtomicInteger();

        @Override
        public void onSchedulerEvent(SchedulerEventType type) {
            if (type == SchedulerEventType.UNRESOLVED_TASK) {
                unresolved.incrementAndGet();
            } else if (type == SchedulerEventType.RAN_DETECT_DEAD) {
                deadDetections.incrementAndGet();
            }
        }
    }
}
