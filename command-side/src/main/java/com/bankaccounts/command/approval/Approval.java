package com.bankaccounts.command.approval;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.bankaccounts.api.approval.AcceptApprovalCommand;
import com.bankaccounts.api.approval.ApprovalAcceptedEvent;
import com.bankaccounts.api.approval.ApprovalActivityEvent;
import com.bankaccounts.api.approval.ApprovalCompletedEvent;
import com.bankaccounts.api.approval.ApprovalDeclinedEvent;
import com.bankaccounts.api.approval.ApprovalExpiredEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalRevokedEvent;
import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.approval.CompleteApprovalCommand;
import com.bankaccounts.api.approval.DeclineApprovalCommand;
import com.bankaccounts.api.approval.RequestApprovalCommand;
import com.bankaccounts.api.approval.RevokeApprovalCommand;
import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.command.mediaupload.MediaUploadRepository;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateScopeDescriptor;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * An approval of a bank account, following the state machine in {@link ApprovalStatus}. It keeps only what it
 * decides on: its type and status. What an approval shows (activities, names, times) is the query side's. A consent's
 * refresh token is shredded when the consent ends ({@link ConsentEndings}).
 */
@Aggregate
public class Approval {

    static final String CONSENT_CONFIRMED = "consent confirmed by the provider";
    static final String CONSENT_EXPIRED = "the consent's validity ended";
    static final String EXPIRY_DEADLINE = "consent-expiry";
    /** Who expires a consent, as its history names it. */
    public static final String EXPIRY_PRINCIPAL = "crn::system:consent-expiry";

    @AggregateIdentifier
    private String approvalId;
    private ApprovalType type;
    private ApprovalStatus status;
    private Instant expiresAt;

    protected Approval() {
    }

    /**
     * A settlement approval. The bank account's registry row is locked first, so two requests for one bank account
     * take turns and the second sees the first's settlement approval in progress.
     */
    @CommandHandler
    Approval(RequestApprovalCommand command, BankAccountRegistry bankAccounts, MediaUploadRepository mediaUploads,
             ApprovalRegistry approvals) {
        bankAccounts.lock(command.bankAccountId())
                .filter(bankAccount -> bankAccount.accountId().equals(command.accountId()))
                .orElseThrow(() -> new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND));
        mediaUploads.findById(command.mediaUploadId())
                .filter(upload -> upload.accountId().equals(command.accountId()))
                .orElseThrow(() -> new NotFoundException(ErrorCode.MEDIA_UPLOAD_NOT_FOUND));
        if (approvals.hasSettlementAwaitingReview(command.bankAccountId())) {
            throw new BusinessRuleException(ErrorCode.APPROVAL_ALREADY_IN_PROGRESS);
        }
        apply(new ApprovalRequestedEvent(command.approvalId(), command.accountId(), command.bankAccountId(),
                ApprovalType.SETTLEMENT, ApprovalStatus.CREATED, command.mediaUploadId(), null, null, null));
    }

    private Approval(String approvalId, String accountId, String bankAccountId, ApprovalType type,
                     String encryptedRefreshToken, String consentId, PaymentConsentTerms paymentTerms,
                     Instant expiresAt, String connectionIntentId, DeadlineManager deadlines) {
        apply(new ApprovalRequestedEvent(approvalId, accountId, bankAccountId, type, ApprovalStatus.PENDING, null,
                encryptedRefreshToken, consentId, paymentTerms, expiresAt, connectionIntentId));
        apply(new ApprovalAcceptedEvent(approvalId, CONSENT_CONFIRMED));
        if (expiresAt != null) {
            // Durable (db-scheduler), in this transaction: it fires once, on one node, after restarts too.
            deadlines.schedule(expiresAt, EXPIRY_DEADLINE, new ConsentExpiryDue(approvalId),
                    new AggregateScopeDescriptor(Approval.class.getSimpleName(), approvalId));
        }
    }

    /**
     * A consent approval (account-consent or payment-consent) that the provider has confirmed through the grant of
     * {@code connectionIntentId}: requested, then approved, and expiring at {@code expiresAt} when there is one. Call
     * it inside {@code Repository<Approval>.newInstance}. The refresh token is already encrypted.
     */
    public static Approval approvedConsent(String approvalId, String accountId, String bankAccountId,
                                           ApprovalType type, String encryptedRefreshToken, String consentId,
                                           PaymentConsentTerms paymentTerms, Instant expiresAt,
                                           String connectionIntentId, DeadlineManager deadlines) {
        return new Approval(approvalId, accountId, bankAccountId, type, encryptedRefreshToken, consentId,
                paymentTerms, expiresAt, connectionIntentId, deadlines);
    }

    /** The consent's validity ended; one revoked (or otherwise ended) before is left as it is. */
    @DeadlineHandler(deadlineName = EXPIRY_DEADLINE)
    void on(ConsentExpiryDue due) {
        if (status == ApprovalStatus.APPROVED) {
            // No caller: the expiry is the system's doing, and its event says so.
            apply(new ApprovalExpiredEvent(approvalId, CONSENT_EXPIRED),
                    MetaData.with(AxonJdbcConfiguration.PRINCIPAL, EXPIRY_PRINCIPAL));
        }
    }

    @CommandHandler
    void handle(AcceptApprovalCommand command) {
        requireAwaitingReview();
        apply(new ApprovalAcceptedEvent(approvalId, command.reason()));
    }

    @CommandHandler
    void handle(DeclineApprovalCommand command) {
        requireAwaitingReview();
        apply(new ApprovalDeclinedEvent(approvalId, command.reason()));
    }

    /**
     * A completed consent has ended, as a revoked one has ({@link ConsentEndings}). Its expiry deadline is left to
     * fire and find it ended: cancelling it by scope would read every consent's deadline (db-scheduler's
     * {@code cancelAllWithinScope} fetches all of the task's executions and compares their scopes), and its id is in
     * no event.
     */
    @CommandHandler
    void handle(CompleteApprovalCommand command) {
        requireApprovedAndNotPastItsExpiry();
        apply(new ApprovalCompletedEvent(approvalId, command.reason()));
    }

    /** Only an approved consent can be withdrawn; a settlement approval is no consent. Its expiry: as on complete. */
    @CommandHandler
    void handle(RevokeApprovalCommand command) {
        requireApprovedConsent();
        apply(new ApprovalRevokedEvent(approvalId, command.reason()));
    }

    private void requireApprovedConsent() {
        if (type == ApprovalType.SETTLEMENT) {
            throw new BusinessRuleException(ErrorCode.APPROVAL_NOT_REVOCABLE);
        }
        requireApprovedAndNotPastItsExpiry();
    }

    /**
     * A consent past its expiry is no longer approved, though its deadline may not have fired yet (within the
     * scheduler's polling interval): it ends as expired, not as revoked or completed after its end.
     */
    private void requireApprovedAndNotPastItsExpiry() {
        if (status != ApprovalStatus.APPROVED
                || expiresAt != null && !GenericEventMessage.clock.instant().isBefore(expiresAt)) {
            throw new BusinessRuleException(ErrorCode.APPROVAL_NOT_APPROVED);
        }
    }

    private void requireAwaitingReview() {
        if (!status.awaitsReview()) {
            throw new BusinessRuleException(ErrorCode.APPROVAL_ALREADY_REVIEWED);
        }
    }

    @EventSourcingHandler
    void on(ApprovalRequestedEvent event) {
        approvalId = event.approvalId();
        type = event.type();
        status = event.status();
        expiresAt = event.expiresAt();
    }

    @EventSourcingHandler
    void on(ApprovalActivityEvent event) {
        status = event.resultingStatus();
    }
}
