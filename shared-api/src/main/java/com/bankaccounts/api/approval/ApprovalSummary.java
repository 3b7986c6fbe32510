package com.bankaccounts.api.approval;

/** How a bank account shows its approvals. */
public record ApprovalSummary(String type, String status, String updatedAt) {
}
