package com.bankaccounts.command.approval;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.bankaccounts.api.approval.AcceptApprovalCommand;
import com.bankaccounts.api.approval.ApprovalAcceptedEvent;
import com.bankaccounts.api.approval.ApprovalCompletedEvent;
import com.bankaccounts.api.approval.ApprovalDeclinedEvent;
import com.bankaccounts.api.approval.ApprovalActivity;
import com.bankaccounts.api.approval.ApprovalActivityEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalResponse;
import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.approval.CompleteApprovalCommand;
import com.bankaccounts.api.approval.DeclineApprovalCommand;
import com.bankaccounts.api.approval.RequestApprovalCommand;
import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import com.bankaccounts.platform.crypto.TokenCipher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * An approval of a bank account, following the state machine in {@link ApprovalStatus}. Every event is an activity
 * of the approval. Created through {@link ApprovalRequestHandler}, which refuses a second settlement approval in
 * progress.
 */
@Aggregate
public class Approval {

    static final String CONSENT_CONFIRMED = "consent confirmed by the provider";

    @AggregateIdentifier
    private String approvalId;
    private String accountId;
    private String bankAccountId;
    private ApprovalType type;
    private ApprovalStatus status;
    private String mediaUploadId;
    private String encryptedRefreshToken;
    private String consentId;
    private PaymentConsentTerms paymentTerms;
    private Instant createdAt;
    private String createdBy;
    private Instant modifiedAt;
    private String modifiedBy;
    private final List<ApprovalActivity> activities = new ArrayList<>();

    protected Approval() {
    }

    Approval(RequestApprovalCommand command, String encryptedRefreshToken) {
        ApprovalStatus initial = command.type().isConsent() ? ApprovalStatus.PENDING : ApprovalStatus.CREATED;
        apply(new ApprovalRequestedEvent(command.approvalId(), command.accountId(), command.bankAccountId(),
                command.type(), initial, command.mediaUploadId(), encryptedRefreshToken, command.consentId(),
                command.paymentTerms()));
    }

    private Approval(String approvalId, String accountId, String bankAccountId, ApprovalType type,
                     String encryptedRefreshToken, String consentId, PaymentConsentTerms paymentTerms) {
        apply(new ApprovalRequestedEvent(approvalId, accountId, bankAccountId, type, ApprovalStatus.PENDING, null,
                encryptedRefreshToken, consentId, paymentTerms));
        apply(new ApprovalAcceptedEvent(approvalId, CONSENT_CONFIRMED));
    }

    /**
     * A consent approval (account-consent or payment-consent) that the provider has confirmed: requested, then
     * approved. Call it inside {@code Repository<Approval>.newInstance}. The refresh token is already encrypted.
     */
    public static Approval approvedConsent(String approvalId, String accountId, String bankAccountId,
                                           ApprovalType type, String encryptedRefreshToken, String consentId,
                                           PaymentConsentTerms paymentTerms) {
        return new Approval(approvalId, accountId, bankAccountId, type, encryptedRefreshToken, consentId,
                paymentTerms);
    }

    @CommandHandler
    public void handle(AcceptApprovalCommand command) {
        requireAwaitingReview();
        apply(new ApprovalAcceptedEvent(approvalId, command.reason()));
    }

    @CommandHandler
    public void handle(DeclineApprovalCommand command) {
        requireAwaitingReview();
        apply(new ApprovalDeclinedEvent(approvalId, command.reason()));
    }

    @CommandHandler
    public void handle(CompleteApprovalCommand command) {
        if (status != ApprovalStatus.APPROVED) {
            throw new BusinessRuleException(ErrorCode.APPROVAL_NOT_APPROVED);
        }
        apply(new ApprovalCompletedEvent(approvalId, command.reason()));
    }

    private void requireAwaitingReview() {
        if (!status.awaitsReview()) {
            throw new BusinessRuleException(ErrorCode.APPROVAL_ALREADY_REVIEWED);
        }
    }

    ApprovalResponse toResponse(TokenCipher cipher) {
        return new ApprovalResponse(approvalId, bankAccountId, accountId, type.value(), status.value(), mediaUploadId,
                cipher.decrypt(encryptedRefreshToken), consentId,
                PaymentConsentTerms.nameOf(paymentTerms),
                PaymentConsentTerms.periodOf(paymentTerms),
                PaymentConsentTerms.totalAmountOf(paymentTerms),
                Timestamps.format(createdAt), createdBy, Timestamps.format(modifiedAt), modifiedBy,
                List.copyOf(activities));
    }

    @EventSourcingHandler
    void on(ApprovalRequestedEvent event, @Timestamp Instant at, @SequenceNumber long sequence,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal) {
        approvalId = event.approvalId();
        accountId = event.accountId();
        bankAccountId = event.bankAccountId();
        type = event.type();
        mediaUploadId = event.mediaUploadId();
        encryptedRefreshToken = event.encryptedRefreshToken();
        consentId = event.consentId();
        paymentTerms = event.paymentTerms();
        createdAt = at;
        createdBy = principal;
        moved(event, at, sequence, principal);
    }

    @EventSourcingHandler
    void on(ApprovalActivityEvent event, @Timestamp Instant at, @SequenceNumber long sequence,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal) {
        moved(event, at, sequence, principal);
    }

    private void moved(ApprovalActivityEvent event, Instant at, long sequence, String principal) {
        status = event.resultingStatus();
        modifiedAt = at;
        modifiedBy = principal;
        activities.add(new ApprovalActivity(ApprovalActivityEvent.activityNumber(sequence), approvalId,
                status.value(), event.reason(), Timestamps.format(at), principal));
    }
}
