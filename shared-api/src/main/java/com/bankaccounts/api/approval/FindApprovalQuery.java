package com.bankaccounts.api.approval;

/** One approval as the API shows it ({@link ApprovalResponse}), or NotFoundException(APPROVAL_NOT_FOUND). */
public record FindApprovalQuery(String approvalId) {
}
