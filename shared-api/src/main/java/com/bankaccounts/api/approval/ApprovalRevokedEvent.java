package com.bankaccounts.api.approval;

/** A consent withdrawn by its owner: its refresh token is shredded in the same transaction. */
public record ApprovalRevokedEvent(String approvalId, String reason) implements ApprovalActivityEvent {

    @Override
    public ApprovalStatus resultingStatus() {
        return ApprovalStatus.REVOKED;
    }
}
