package com.bankaccounts.api.approval;

public record ApprovalCompletedEvent(String approvalId, String reason) implements ApprovalActivityEvent {

    @Override
    public ApprovalStatus resultingStatus() {
        return ApprovalStatus.DONE;
    }
}
