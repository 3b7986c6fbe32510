package com.bankaccounts.query.approval;

import com.bankaccounts.api.approval.ApprovalActivityEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.api.fundstransfer.FundsTransferCreatedEvent;
import com.bankaccounts.query.approval.ApprovalReadModel.StoredApproval;
import com.bankaccounts.query.projection.ReplayableProjection;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
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
    void on(ApprovalRequestedEvent event, DomainEventMessage<ApprovalRequestedEvent> message) {
        ApprovalActivityRow activity = ApprovalActivityRow.of(message);
        PaymentConsentTerms terms = event.paymentTerms();
        readModel.insert(new StoredApproval(event.approvalId(), event.bankAccountId(), event.accountId(),
                event.type().value(), event.status().value(), event.mediaUploadId(), event.encryptedRefreshToken(),
                event.consentId(), PaymentConsentTerms.nameOf(terms), PaymentConsentTerms.periodOf(terms),
                terms == null ? null : terms.totalAmount(), activity.createdAt(), activity.createdBy(),
                activity.createdAt(), activity.createdBy(), event.expiresAt(), null), message.getSequenceNumber());
        readModel.addActivity(activity);
    }

    @EventHandler
    void on(ApprovalActivityEvent event, DomainEventMessage<ApprovalActivityEvent> message) {
        ApprovalActivityRow activity = ApprovalActivityRow.of(message);
        ApprovalStatus status = event.resultingStatus();
        readModel.moveTo(event.approvalId(), activity.activityType(), activity.createdAt(), activity.createdBy(),
                message.getSequenceNumber(), status == ApprovalStatus.APPROVED, status.endsConsent());
        readModel.addActivity(activity);
    }

    /** A top up made under a payment consent counts towards the consent's period. */
    @EventHandler
    void on(FundsTransferCreatedEvent event) {
        if (event.paymentConsentId() != null && event.consentPeriodStart() != null) {
            readModel.addConsentUsage(event.fundsTransferId(), event.paymentConsentId(), event.consentPeriodStart(),
                    event.amount());
        }
    }

    @ResetHandler
    void reset() {
        readModel.deleteAll();
    }
}
