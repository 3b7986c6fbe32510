package com.bankaccounts.api.approval;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The owner (or the admin) withdraws an approved consent. */
public record RevokeApprovalCommand(@TargetAggregateIdentifier String approvalId, String reason) {
}
