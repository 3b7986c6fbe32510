package com.bankaccounts.query.approval;

import com.bankaccounts.api.approval.ApprovalActivity;
import com.bankaccounts.api.approval.ApprovalActivityEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalResponse;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import com.bankaccounts.platform.crypto.TokenCipher;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.query.approval.ApprovalReadModel.StoredApproval;
import com.bankaccounts.query.bankaccount.BankAccountReadModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ApprovalQueryController {

    private final ApprovalReadModel readModel;
    private final BankAccountReadModel bankAccounts;
    private final EventStore eventStore;
    private final TokenCipher cipher;

    public ApprovalQueryController(ApprovalReadModel readModel, BankAccountReadModel bankAccounts,
                                   EventStore eventStore, TokenCipher cipher) {
        this.readModel = readModel;
        this.bankAccounts = bankAccounts;
        this.eventStore = eventStore;
        this.cipher = cipher;
    }

    public record ApprovalList(List<ApprovalResponse> items) {
    }

    /** An activity as replayed from the event store, with the event behind it. */
    public record HistoryEntry(int activityNumber, String approvalId, String activityType, String reason,
                               String createdAt, String createdBy, String eventType) {
    }

    public record History(String approvalId, List<HistoryEntry> items) {
    }

    @GetMapping("/api/bank-account-approvals/{approvalId}")
    public ApprovalResponse get(Caller caller, @PathVariable String approvalId) {
        StoredApproval approval = readModel.findById(approvalId)
                .filter(found -> caller.canAccess(found.accountId()))
                .orElseThrow(() -> new NotFoundException(ErrorCode.APPROVAL_NOT_FOUND));
        return responses(List.of(approval)).get(0);
    }

    @GetMapping("/api/bank-accounts/{bankAccountId}/approvals")
    public ApprovalList list(Caller caller, @PathVariable String bankAccountId) {
        bankAccounts.findById(bankAccountId)
                .filter(bankAccount -> caller.canAccess(bankAccount.accountId()))
                .orElseThrow(() -> new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND));
        return new ApprovalList(responses(readModel.findByBankAccount(bankAccountId)));
    }

    /** The approval's activities rebuilt from its events in the event store, not from the read model. */
    @GetMapping("/api/bank-account-approvals/{approvalId}/history")
    public History history(Caller caller, @PathVariable String approvalId) {
        if (!Ids.isWellFormed(approvalId)) {
            throw new NotFoundException(ErrorCode.APPROVAL_NOT_FOUND);
        }
        DomainEventStream events = eventStore.readEvents(approvalId);
        List<HistoryEntry> entries = new ArrayList<>();
        while (events.hasNext()) {
            DomainEventMessage<?> event = events.next();
            Object payload = event.getPayload();
            if (entries.isEmpty() && !(payload instanceof ApprovalRequestedEvent requested
                    && caller.canAccess(requested.accountId()))) {
                throw new NotFoundException(ErrorCode.APPROVAL_NOT_FOUND);
            }
            if (payload instanceof ApprovalActivityEvent activity) {
                entries.add(new HistoryEntry(ApprovalActivityEvent.activityNumber(event.getSequenceNumber()),
                        approvalId, activity.resultingStatus().value(), activity.reason(),
                        Timestamps.format(event.getTimestamp()),
                        (String) event.getMetaData().get(AxonJdbcConfiguration.PRINCIPAL),
                        event.getPayloadType().getSimpleName()));
            }
        }
        if (entries.isEmpty()) {
            throw new NotFoundException(ErrorCode.APPROVAL_NOT_FOUND);
        }
        return new History(approvalId, entries);
    }

    private List<ApprovalResponse> responses(List<StoredApproval> approvals) {
        Map<String, List<ApprovalActivity>> activities =
                readModel.activitiesOf(approvals.stream().map(StoredApproval::id).toList());
        return approvals.stream()
                .map(approval -> new ApprovalResponse(approval.id(), approval.bankAccountId(), approval.accountId(),
                        approval.type(), approval.status(), approval.mediaUploadId(),
                        cipher.decrypt(approval.encryptedRefreshToken()), approval.consentId(), approval.consentName(),
                        approval.consentPeriod(),
                        approval.consentTotalAmount() == null ? null : approval.consentTotalAmount().toString(),
                        Timestamps.format(approval.createdAt()), approval.createdBy(),
                        Timestamps.format(approval.modifiedAt()), approval.modifiedBy(),
                        activities.getOrDefault(approval.id(), List.of())))
                .toList();
    }
}
