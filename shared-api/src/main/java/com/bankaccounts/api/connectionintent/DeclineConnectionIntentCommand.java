package com.bankaccounts.api.connectionintent;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The user refused the consent (Deny on the provider's page, or the provider's redirect with
 * {@code error=access_denied}). {@code state} is checked when the client passes one back; null otherwise.
 */
public record DeclineConnectionIntentCommand(@TargetAggregateIdentifier String connectionIntentId, String state,
                                             String reason) {
}
