package com.bankaccounts.command.approval;

/** The payload of a consent's expiry deadline. */
public record ConsentExpiryDue(String approvalId) {
}
