package com.bankaccounts.query.approval;

import com.bankaccounts.api.approval.ApprovalActivity;
import com.bankaccounts.api.approval.ApprovalActivityEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalResponse;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.query.bankaccount.BankAccountReadModel;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ApprovalQueryController {

    private final ApprovalQueries approvals;
    private final BankAccountReadModel bankAccounts;
    private final EventStore eventStore;

    public ApprovalQueryController(ApprovalQueries approvals, BankAccountReadModel bankAccounts,
                                   EventStore eventStore) {
        this.approvals = approvals;
        this.bankAccounts = bankAccounts;
        this.eventStore = eventStore;
    }

    public record ApprovalList(List<ApprovalResponse> items) {
    }

    /** An activity as replayed from the event store, with the event behind it. */
    public record HistoryEntry(int activityNumber, String approvalId, String activityType, String reason,
                               String createdAt, String createdBy, String eventType, String requestId) {

        static HistoryEntry of(DomainEventMessage<? extends ApprovalActivityEvent> event) {
            ApprovalActivity activity = ApprovalActivityRow.of(event).toActivity();
            return new HistoryEntry(activity.activityNumber(), activity.approvalId(), activity.activityType(),
                    activity.reason(), activity.createdAt(), activity.createdBy(),
                    event.getPayloadType().getSimpleName(),
                    (String) event.getMetaData().get(AxonJdbcConfiguration.REQUEST_ID));
        }
    }

    public record History(String approvalId, List<HistoryEntry> items) {
    }

    @ErrorCodes(notFound = ErrorCode.APPROVAL_NOT_FOUND)
    @GetMapping("/api/bank-account-approvals/{approvalId}")
    public ApprovalResponse get(Caller caller, @PathVariable String approvalId) {
        return approvals.find(approvalId)
                .filter(found -> caller.canAccess(found.accountId()))
                .orElseThrow(() -> new NotFoundException(ErrorCode.APPROVAL_NOT_FOUND));
    }

    @ErrorCodes(notFound = ErrorCode.BANK_ACCOUNT_NOT_FOUND)
    @GetMapping("/api/bank-accounts/{bankAccountId}/approvals")
    public ApprovalList list(Caller caller, @PathVariable String bankAccountId) {
        bankAccounts.findById(bankAccountId)
                .filter(bankAccount -> caller.canAccess(bankAccount.accountId()))
                .orElseThrow(() -> new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND));
        return new ApprovalList(approvals.ofBankAccount(bankAccountId));
    }

    /** The approval's activities rebuilt from its events in the event store, not from the read model. */
    @ErrorCodes(notFound = ErrorCode.APPROVAL_NOT_FOUND)
    @GetMapping("/api/bank-account-approvals/{approvalId}/history")
    @SuppressWarnings("unchecked")
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
            if (payload instanceof ApprovalActivityEvent) {
                entries.add(HistoryEntry.of((DomainEventMessage<? extends ApprovalActivityEvent>) event));
            }
        }
        if (entries.isEmpty()) {
            throw new NotFoundException(ErrorCode.APPROVAL_NOT_FOUND);
        }
        return new History(approvalId, entries);
    }
}
