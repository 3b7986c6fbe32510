package com.bankaccounts.api.approval;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record DeclineApprovalCommand(@TargetAggregateIdentifier String approvalId, String reason) {
}
