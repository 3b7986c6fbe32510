package com.bankaccounts.api.approval;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A settlement approval for the account's bank account, with the account's evidence upload. Consent approvals are
 * not requested: the connection-intent flow creates them already approved.
 */
public record RequestApprovalCommand(@TargetAggregateIdentifier String approvalId,
                                     String accountId,
                                     String bankAccountId,
                                     String mediaUploadId) {
}
