package com.bankaccounts.api.approval;

/** Every approval event is an activity: it moves the approval to a status, optionally with a reason. */
public interface ApprovalActivityEvent {

    String approvalId();

    ApprovalStatus resultingStatus();

    String reason();

    /** Activities are numbered 1, 2, 3 … in event order: the event's sequence number plus one. */
    static int activityNumber(long sequenceNumber) {
        return Math.toIntExact(sequenceNumber + 1);
    }
}
