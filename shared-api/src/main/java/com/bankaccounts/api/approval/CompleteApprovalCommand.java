package com.bankaccounts.api.approval;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An approved approval has served its purpose. {@code reason} is optional. */
public record CompleteApprovalCommand(@TargetAggregateIdentifier String approvalId, String reason) {
}
