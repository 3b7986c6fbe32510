package com.bankaccounts.api.connectionintent;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The provider refused the authorization code. */
public record FailConnectionIntentCommand(@TargetAggregateIdentifier String connectionIntentId, String reason) {
}
