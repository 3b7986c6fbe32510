package com.bankaccounts.api.approval;

public record ApprovalDeclinedEvent(String approvalId, String reason) implements ApprovalActivityEvent {

    @Override
    public ApprovalStatus resultingStatus() {
        return ApprovalStatus.DECLINED;
    }
}
