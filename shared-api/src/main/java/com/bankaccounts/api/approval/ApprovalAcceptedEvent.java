package com.bankaccounts.api.approval;

public record ApprovalAcceptedEvent(String approvalId, String reason) implements ApprovalActivityEvent {

    @Override
    public ApprovalStatus resultingStatus() {
        return ApprovalStatus.APPROVED;
    }
}
