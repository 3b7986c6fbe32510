package com.bankaccounts.api.connectionintent;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Asks whether the intent may still be authorized (and with this {@code state}, when the client passes it back);
 * answers what the code exchange needs. Changes nothing.
 */
public record BeginConnectionIntentAuthorizationCommand(@TargetAggregateIdentifier String connectionIntentId,
                                                        String state) {
}
