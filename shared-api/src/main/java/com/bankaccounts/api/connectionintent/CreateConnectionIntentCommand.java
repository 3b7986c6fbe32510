package com.bankaccounts.api.connectionintent;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * {@code requestedType} is the type name as the client sent it (current names, older aliases, or a bank account
 * request's), echoed back in responses. {@code legacyRequest} marks the Bank Account Requests face of the flow.
 * {@code test} is null on that face: a bank account request takes its account's liveness. {@code baseUrl} is where
 * this server is reached, for the sandbox's consent page.
 */
public record CreateConnectionIntentCommand(@TargetAggregateIdentifier String connectionIntentId,
                                            String accountId,
                                            ConnectionIntentType type,
                                            String requestedType,
                                            boolean legacyRequest,
                                            Boolean test,
                                            String bankAccountId,
                                            PaymentConsentTerms paymentTerms,
                                            String redirectUri,
                                            String baseUrl) {
}
