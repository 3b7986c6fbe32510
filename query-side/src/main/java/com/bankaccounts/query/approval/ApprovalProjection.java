package com.bankaccounts.query.approval;

import com.bankaccounts.api.approval.ApprovalActivityEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import com.bankaccounts.query.approval.ApprovalReadModel.ApprovalActivityRow;
import com.bankaccounts.query.approval.ApprovalReadModel.StoredApproval;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import com.bankaccounts.query.projection.ReplayableProjection;
import org.springframework.stereotype.Component;

/** Approvals and their activities: every approval event moves its status and is one activity. */
@Component
@ProcessingGroup(ApprovalProjection.PROCESSING_GROUP)
public class ApprovalProjection implements ReplayableProjection {

    public static final String PROCESSING_GROUP = "approvals";

    private final ApprovalReadModel readModel;

    public ApprovalProjection(ApprovalReadModel readModel) {
        this.readModel = readModel;
    }

    @EventHandler
    void on(ApprovalRequestedEvent event, @Timestamp Instant at, @SequenceNumber long sequence,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal) {
        PaymentConsentTerms terms = event.paymentTerms();
        readModel.insert(new StoredApproval(event.approvalId(), event.bankAccountId(), event.accountId(),
                event.type().value(), event.status().value(), event.mediaUploadId(), event.encryptedRefreshToken(),
                event.consentId(), PaymentConsentTerms.nameOf(terms),
                PaymentConsentTerms.periodOf(terms),
                terms == null ? null : terms.totalAmount(), at, principal, at, principal), sequence);
        addActivity(event, at, sequence, principal);
    }

    @EventHandler
    void on(ApprovalActivityEvent event, @Timestamp Instant at, @SequenceNumber long sequence,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal) {
        readModel.moveTo(event.approvalId(), event.resultingStatus().value(), at, principal, sequence);
        addActivity(event, at, sequence, principal);
    }

    @ResetHandler
    void reset() {
        readModel.deleteAll();
    }

    private void addActivity(ApprovalActivityEvent event, Instant at, long sequence, String principal) {
        readModel.addActivity(new ApprovalActivityRow(event.approvalId(), ApprovalActivityEvent.activityNumber(sequence),
                event.resultingStatus().value(), event.reason(), at, principal));
    }
}
