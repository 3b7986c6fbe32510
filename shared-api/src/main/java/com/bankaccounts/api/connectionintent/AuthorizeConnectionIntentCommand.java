package com.bankaccounts.api.connectionintent;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Applies what the provider granted, once the code has been exchanged: {@code refreshToken} is plain here (commands
 * are never stored; it is encrypted before it becomes an event), {@code accounts} are the provider's accounts for an
 * account-information consent (empty for a payment consent).
 */
public record AuthorizeConnectionIntentCommand(@TargetAggregateIdentifier String connectionIntentId,
                                               String refreshToken,
                                               String consentId,
                                               List<ConnectedAccount> accounts) {

    /** A bank account as the provider describes it. */
    public record ConnectedAccount(String accountNumber, String name) {
    }

    @Override
    public String toString() {
        return "AuthorizeConnectionIntentCommand[connectionIntentId=" + connectionIntentId + "]";
    }
}
