package com.bankaccounts.query.approval;

import com.bankaccounts.api.approval.ApprovalActivity;
import com.bankaccounts.api.approval.ApprovalResponse;
import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.approval.PaymentConsentUsage;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.connectionintent.ConsentPeriodWindow;
import java.time.Instant;
import com.bankaccounts.api.approval.FindApprovalQuery;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.platform.crypto.ConsentTokens;
import com.bankaccounts.query.approval.ApprovalReadModel.StoredApproval;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Approvals as the API shows them, built here only: for the POST's answer (a query) and for the GET endpoints. */
@Component
public class ApprovalQueries {

    private final ApprovalReadModel readModel;
    private final ConsentTokens tokens;

    public ApprovalQueries(ApprovalReadModel readModel, ConsentTokens tokens) {
        this.readModel = readModel;
        this.tokens = tokens;
    }

    @QueryHandler
    public ApprovalResponse handle(FindApprovalQuery query) {
        return find(query.approvalId()).orElseThrow(() -> new NotFoundException(ErrorCode.APPROVAL_NOT_FOUND));
    }

    public Optional<ApprovalResponse> find(String approvalId) {
        return readModel.findById(approvalId).map(approval -> responses(List.of(approval)).get(0));
    }

    public List<ApprovalResponse> ofBankAccount(String bankAccountId) {
        return responses(readModel.findByBankAccount(bankAccountId));
    }

    /** For the admin console: the approvals in any of the given statuses, newest first. */
    public List<ApprovalResponse> withStatus(Collection<String> statuses, int limit) {
        return statuses.isEmpty() ? List.of() : responses(readModel.findByStatuses(statuses, limit));
    }

    /** An approved payment consent's current period: its bounds, what its top ups used and what is left. */
    private PaymentConsentUsage currentPeriod(StoredApproval approval, Instant now) {
        if (!ApprovalType.PAYMENT_CONSENT.value().equals(approval.type())
                || !ApprovalStatus.APPROVED.value().equals(approval.status()) || approval.approvedAt() == null) {
            return null;
        }
        ConsentPeriod period = ConsentPeriod.fromValue(approval.consentPeriod()).orElse(ConsentPeriod.DAILY);
        ConsentPeriodWindow window = ConsentPeriodWindow.of(period, approval.approvedAt(), now);
        long used = readModel.consentUsage(approval.id(), window.start());
        Long total = approval.consentTotalAmount();
        return new PaymentConsentUsage(Timestamps.format(window.start()), Timestamps.format(window.end()),
                Long.toString(used), total == null ? null : Long.toString(Math.max(0, total - used)));
    }

    private List<ApprovalResponse> responses(List<StoredApproval> approvals) {
        Map<String, List<ApprovalActivity>> activities =
                readModel.activitiesOf(approvals.stream().map(StoredApproval::id).toList());
        return approvals.stream()
                .map(approval -> new ApprovalResponse(approval.id(), approval.bankAccountId(), approval.accountId(),
                        approval.type(), approval.status(), approval.mediaUploadId(),
                        tokens.decrypt(approval.encryptedRefreshToken()).orElse(null), approval.consentId(), approval.consentName(),
                        approval.consentPeriod(),
                        approval.consentTotalAmount() == null ? null : approval.consentTotalAmount().toString(),
                        Timestamps.format(approval.createdAt()), approval.createdBy(),
                        Timestamps.format(approval.modifiedAt()), approval.modifiedBy(),
                        activities.getOrDefault(approval.id(), List.of()),
                        Timestamps.format(approval.expiresAt()), currentPeriod(approval, Instant.now())))
                .toList();
    }
}
