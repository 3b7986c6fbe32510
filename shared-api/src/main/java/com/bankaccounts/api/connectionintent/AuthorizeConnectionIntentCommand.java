package com.bankaccounts.api.connectionintent;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Applies what the provider granted, once the code has been exchanged. {@code state} is the one the client passed
 * back (null when it passed none); {@code encryptedRefreshToken} is ciphertext, encrypted right after the exchange
 * (null when the provider issues no refresh tokens); {@code accounts} are the provider's accounts for an
 * account-information consent (empty for a payment consent), as the provider describes them.
 */
public record AuthorizeConnectionIntentCommand(@TargetAggregateIdentifier String connectionIntentId,
                                               String state,
                                               String encryptedRefreshToken,
                                               String consentId,
                                               List<ConnectedAccount> accounts) {
}
