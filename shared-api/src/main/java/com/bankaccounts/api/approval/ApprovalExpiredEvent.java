package com.bankaccounts.api.approval;

/** A consent's validity ended (its deadline): its refresh token is shredded in the same transaction. */
public record ApprovalExpiredEvent(String approvalId, String reason) implements ApprovalActivityEvent {

    @Override
    public ApprovalStatus resultingStatus() {
        return ApprovalStatus.EXPIRED;
    }
}
