package com.bankaccounts.api.approval;

/** One entry of an approval's history: {@code activityType} is the status the approval moved to. */
public record ApprovalActivity(int activityNumber, String approvalId, String activityType, String reason,
                               String createdAt, String createdBy) {
}
