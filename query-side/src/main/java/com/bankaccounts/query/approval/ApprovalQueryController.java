package com.bankaccounts.query.approval;

import com.bankaccounts.api.approval.ApprovalActivity;
import com.bankaccounts.api.approval.ApprovalActivityEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalResponse;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.query.bankaccount.BankAccountReadModel;
import com.bankaccounts.query.history.EventHistory;
import com.bankaccounts.query.history.HistoryEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.DomainEventMessage;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ApprovalQueryController {

    private final ApprovalQueries approvals;
    private final BankAccountReadModel bankAccounts;
    private final EventHistory history;

    public ApprovalQueryController(ApprovalQueries approvals, BankAccountReadModel bankAccounts,
                                   EventHistory history) {
        this.approvals = approvals;
        this.bankAccounts = bankAccounts;
        this.history = history;
    }

    public record ApprovalList(List<ApprovalResponse> items) {
    }

    /**
     * An activity as replayed from the event store, with the event behind it: the approval's activity fields, and
     * the fields every resource's history has (EventHistory).
     */
    public record ApprovalHistoryEntry(int activityNumber, String approvalId, String activityType, String reason,
                                       String createdAt, String createdBy, String eventId, long sequence, String type,
                                       String time, String principal, String requestId,
                                       Map<String, Object> changes) {

        static ApprovalHistoryEntry of(DomainEventMessage<? extends ApprovalActivityEvent> event) {
            ApprovalActivity activity = ApprovalActivityRow.of(event).toActivity();
            HistoryEntry entry = EventHistory.entry(event);
            return new ApprovalHistoryEntry(activity.activityNumber(), activity.approvalId(), activity.activityType(),
                    activity.reason(), activity.createdAt(), activity.createdBy(), entry.eventId(), entry.sequence(),
                    entry.type(), entry.time(), entry.principal(), entry.requestId(), entry.changes());
        }
    }

    public record ApprovalHistory(String approvalId, List<ApprovalHistoryEntry> items) {
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
    public ApprovalHistory history(Caller caller, @PathVariable String approvalId) {
        List<ApprovalHistoryEntry> entries = new ArrayList<>();
        for (DomainEventMessage<?> event : history.events(caller, approvalId, ApprovalRequestedEvent.class,
                ApprovalRequestedEvent::accountId, requested -> true, ErrorCode.APPROVAL_NOT_FOUND)) {
            if (event.getPayload() instanceof ApprovalActivityEvent) {
                entries.add(ApprovalHistoryEntry.of((DomainEventMessage<? extends ApprovalActivityEvent>) event));
            }
        }
        return new ApprovalHistory(approvalId, entries);
    }
}
