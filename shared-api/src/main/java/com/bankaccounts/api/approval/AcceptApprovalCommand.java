package com.bankaccounts.api.approval;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** {@code reason} is optional. */
public record AcceptApprovalCommand(@TargetAggregateIdentifier String approvalId, String reason) {
}
