package com.bankaccounts.command.scheduling;

import com.bankaccounts.command.connectionintent.AbandonedGrants;
import com.bankaccounts.command.connectionintent.provider.ProviderTokenRevoker;
import com.bankaccounts.command.connectionintent.provider.TokenRevocations;
import com.bankaccounts.platform.crypto.TokenCipher;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerBinaryDeadlineDetails;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManagerSupplier;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * Durable tasks on db-scheduler (table {@code scheduled_tasks}), declared here rather than by Axon's and
 * db-scheduler's Spring Boot auto-configurations, which order themselves after Boot 3 classes (DESIGN.md §5):
 * Axon's deadline manager (consent expiry), the provider token revocations, and the recurring sweep of grants never
 * applied. Each task runs once across all nodes
 * and survives restarts. The scheduler writes through a transaction-aware DataSource, so a task scheduled while a
 * command is handled is committed (or rolled back) with the command's events. It starts once the application has
 * started (after Axon's configuration), and stops before it.
 */
@Configuration(proxyBeanMethods = false)
public class SchedulingConfiguration {

    @Bean
    public DbSchedulerDeadlineManagerSupplier deadlineManagerSupplier() {
        return new DbSchedulerDeadlineManagerSupplier();
    }

    @Bean
    public Task<DbSchedulerBinaryDeadlineDetails> deadlineTask(DbSchedulerDeadlineManagerSupplier supplier) {
        return DbSchedulerDeadlineManager.binaryTask(supplier);
    }

    /**
     * Only where a revocation endpoint is configured: a node without one leaves the task to nodes that have one
     * (db-scheduler does not pick tasks it does not know) instead of failing it.
     */
    @Bean
    @ConditionalOnExpression("!'${app.open-banking.revocation-url:}'.isBlank()")
    public OneTimeTask<String> tokenRevocationTask(ProviderTokenRevoker revoker, TokenCipher cipher,
                                                   @Value("${app.open-banking.revocation-retry-delay:1m}")
                                                   Duration firstRetry) {
        return TokenRevocations.task(revoker, cipher, firstRetry);
    }

    /**
     * Every {@link AbandonedGrants#SWEEP}, on one node: grants kept too long fail their intents. Looked up when it
     * runs, as the sweep revokes through this scheduler.
     */
    @Bean
    public RecurringTask<Void> abandonedGrantsTask(ObjectProvider<AbandonedGrants> grants) {
        return Tasks.recurring("abandoned-grants", FixedDelay.of(AbandonedGrants.SWEEP))
                .execute((instance, context) -> grants.getObject().failIntentsWithAbandonedGrants());
    }

    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(20);
    static final int MISSED_HEARTBEATS_LIMIT = 6;
    static final Duration SHUTDOWN_MAX_WAIT = Duration.ofSeconds(5);

    /** Host and process, so that {@code scheduled_tasks.picked_by} tells apart nodes sharing a host. */
    static String nodeName() {
        return new SchedulerName.Hostname().getName() + ":" + ProcessHandle.current().pid();
    }

    /**
     * How long a node keeps the executions of a task it does not know before deleting them all: as good as never.
     * db-scheduler's default (14 days) let a node without {@code OPEN_BANKING_REVOCATION_URL} delete every pending
     * provider token revocation, those other nodes had just scheduled included, once it had seen one for 14 days.
     */
    static final Duration KEEP_UNKNOWN_TASKS = Duration.ofDays(100 * 365);

    @Bean
    public Scheduler scheduler(DataSource dataSource, List<Task<?>> tasks, List<RecurringTask<?>> recurringTasks,
                               @Value("${app.scheduler.polling-interval:10s}") Duration pollingInterval,
                               @Value("${app.scheduler.threads:4}") int threads) {
        return schedulerOf(dataSource, tasks, recurringTasks, pollingInterval, threads).build();
    }

    /** The scheduler's settings, shared by the bean and the test of what a node does with tasks it does not know. */
    public static SchedulerBuilder schedulerOf(DataSource dataSource, List<Task<?>> tasks,
                                               List<RecurringTask<?>> recurringTasks, Duration pollingInterval,
                                               int threads) {
        List<Task<?>> oneTimeTasks = tasks.stream().filter(task -> !(task instanceof RecurringTask)).toList();
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), oneTimeTasks)
                .startTasks(recurringTasks)
                .pollingInterval(pollingInterval)
                .threads(threads)
                // A task whose node died is taken up by another after 6 missed heartbeats: 2 minutes, not
                // db-scheduler's half hour (a consent past its expiry kept its token that long). A node cut off from
                // the database for longer counts as dead too, and its task may run twice: every task is idempotent.
                .heartbeatInterval(HEARTBEAT_INTERVAL)
                .missedHeartbeatsLimit(MISSED_HEARTBEATS_LIMIT)
                // A stopping node waits this long for its running tasks (db-scheduler's default: 30 minutes,
                // during which the web server kept taking requests); one still running is taken up as above.
                .shutdownMaxWait(SHUTDOWN_MAX_WAIT)
                .deleteUnresolvedAfter(KEEP_UNKNOWN_TASKS)
                .schedulerName(new SchedulerName.Fixed(nodeName()))
                .enableImmediateExecution()
                .commitWhenAutocommitDisabled(false);
    }

    @Bean
    public DeadlineManager deadlineManager(Scheduler scheduler, org.axonframework.config.Configuration axon,
                                           @Qualifier("serializer") Serializer serializer,
                                           TransactionManager transactionManager,
                                           DbSchedulerDeadlineManagerSupplier supplier) {
        DbSchedulerDeadlineManager manager = DbSchedulerDeadlineManager.builder()
                .scheduler(scheduler)
                .scopeAwareProvider(new ConfigurationScopeAwareProvider(axon))
                .serializer(serializer)
                .transactionManager(transactionManager)
                .startScheduler(false)
                .stopScheduler(false)
                .build();
        supplier.set(manager);
        return manager;
    }

    /** Runs the scheduler from when the application has started, so no task meets a half-made context. */
    @Bean
    public SmartLifecycle schedulerLifecycle(Scheduler scheduler) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                scheduler.start();
                running = true;
            }

            @Override
            public void stop() {
                scheduler.stop();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                // After Axon's processors (which start in lower phases) and the web server.
                return Integer.MAX_VALUE - 100;
            }
        };
    }
}
