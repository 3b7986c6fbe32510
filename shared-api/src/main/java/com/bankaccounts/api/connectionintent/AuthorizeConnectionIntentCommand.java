package com.bankaccounts.api.connectionintent;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** {@code state}, when the client passes it back, must be the intent's. */
public record AuthorizeConnectionIntentCommand(@TargetAggregateIdentifier String connectionIntentId,
                                               String code,
                                               String state) {

    @Override
    public String toString() {
        return "AuthorizeConnectionIntentCommand[connectionIntentId=" + connectionIntentId + "]";
    }
}
