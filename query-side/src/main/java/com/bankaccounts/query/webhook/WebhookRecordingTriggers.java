package com.bankaccounts.query.webhook;

import com.bankaccounts.query.approval.ApprovalProjection;
import com.bankaccounts.query.bankaccount.BankAccountProjection;
import com.bankaccounts.query.connectionintent.ConnectionIntentProjection;
import com.bankaccounts.query.fundstransfer.FundsTransferProjection;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * A read model's processor only takes the events one of its handlers handles, and only those pass its interceptors.
 * These do nothing, but take every event in each read model's group, so the webhook recorder also sees a webhook type
 * that changes nothing shown (such as {@code bank-account.verification-failed}). Rebuilds run the projection alone.
 */
final class WebhookRecordingTriggers {

    private WebhookRecordingTriggers() {
    }

    @Component
    @ProcessingGroup(BankAccountProjection.PROCESSING_GROUP)
    static class BankAccounts {
        @EventHandler
        void on(Object event) {
            // See the class comment.
        }
    }

    @Component
    @ProcessingGroup(FundsTransferProjection.PROCESSING_GROUP)
    static class FundsTransfers {
        @EventHandler
        void on(Object event) {
            // See the class comment.
        }
    }

    @Component
    @ProcessingGroup(ApprovalProjection.PROCESSING_GROUP)
    static class Approvals {
        @EventHandler
        void on(Object event) {
            // See the class comment.
        }
    }

    @Component
    @ProcessingGroup(ConnectionIntentProjection.PROCESSING_GROUP)
    static class ConnectionIntents {
        @EventHandler
        void on(Object event) {
            // See the class comment.
        }
    }
}
