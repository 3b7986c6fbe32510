package com.bankaccounts.query;

import com.bankaccounts.platform.axon.CustomPlanTransactionManager;
import com.bankaccounts.platform.axon.WakeableScheduler;
import com.bankaccounts.query.approval.ApprovalProjection;
import com.bankaccounts.query.bankaccount.BankAccountProjection;
import com.bankaccounts.query.connectionintent.ConnectionIntentProjection;
import com.bankaccounts.query.fundstransfer.FundsTransferProjection;
import com.bankaccounts.query.webhook.WebhookEndpointProjection;
import java.util.List;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The read models' processors, when they track the event store (a query-side process), plan each statement for the
 * tables as they are ({@link CustomPlanTransactionManager}): a new query-side process fills its empty read models
 * fast. Only theirs: planning costs more than running a key lookup on a table whose plan stays right (the webhook
 * fan-out's lookup of each event's body: 19.5 µs of planning against 1.5 µs of execution). In the assembly these
 * processors are subscribing and run in the command's transaction, which this leaves as it is.
 *
 * <p>Tracking, their coordinators are woken as each batch starts ({@link WakeableScheduler}): catching up, they would
 * otherwise wait 100 ms each time a work package's queue is full.
 */
@Configuration(proxyBeanMethods = false)
public class ReadModelProcessing {

    private static final List<String> READ_MODEL_PROCESSORS = List.of(BankAccountProjection.PROCESSING_GROUP,
            FundsTransferProjection.PROCESSING_GROUP, ApprovalProjection.PROCESSING_GROUP,
            ConnectionIntentProjection.PROCESSING_GROUP, WebhookEndpointProjection.PROCESSING_GROUP);

    @Bean
    public ConfigurerModule readModelTransactions(TransactionManager axonTransactionManager, JdbcClient jdbc) {
        return configurer -> READ_MODEL_PROCESSORS.forEach(processor -> configurer.eventProcessing()
                .registerTransactionManager(processor,
                        configuration -> new CustomPlanTransactionManager(axonTransactionManager, jdbc))
                .registerPooledStreamingEventProcessorConfiguration(processor,
                        WakeableScheduler.wokenByBatches(processor)));
    }
}
