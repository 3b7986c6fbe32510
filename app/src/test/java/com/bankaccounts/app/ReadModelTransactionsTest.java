package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.axon.CustomPlanTransactionManager;
import com.bankaccounts.query.bankaccount.BankAccountProjection;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * In the assembly the read models' processors are subscribing: inside the command's transaction their transaction
 * manager joins it as it is, sending nothing (a statement there, failing while the database restarts, surfaced as
 * Axon's IllegalStateException and a 500), and leaves the command's statements on their cached plans. A transaction
 * of their own still plans each statement afresh.
 */
class ReadModelTransactionsTest extends ApiTestSupport {

    @Autowired
    EventProcessingConfiguration processing;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void inTheCommandsTransactionAReadModelsProcessorJoinsItAsItIs() {
        assertThat(processing.eventProcessor(BankAccountProjection.PROCESSING_GROUP, SubscribingEventProcessor.class))
                .isPresent();
        TransactionManager readModel = processing.transactionManager(BankAccountProjection.PROCESSING_GROUP);
        String mode = new TransactionTemplate(transactions).execute(command -> {
            Transaction joined = readModel.startTransaction();
            try {
                return planCacheMode();
            } finally {
                joined.commit();
            }
        });
        assertThat(mode).isEqualTo("auto");
    }

    @Test
    void onItsOwnAReadModelsTransactionPlansEachStatement() {
        Transaction own = processing.transactionManager(BankAccountProjection.PROCESSING_GROUP).startTransaction();
        try {
            assertThat(planCacheMode()).isEqualTo(CustomPlanTransactionManager.PLAN_CACHE_MODE);
        } finally {
            own.rollback();
        }
    }

    private String planCacheMode() {
        return jdbc.sql("SHOW plan_cache_mode").query(String.class).single();
    }
}
