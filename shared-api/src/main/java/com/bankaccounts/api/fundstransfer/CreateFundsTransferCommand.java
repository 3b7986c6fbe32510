package com.bankaccounts.api.fundstransfer;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * {@code amount} in cents. {@code accountId} is the account the caller acts for, whose bank account it must be; null
 * when the caller may act for any account (the admin key).
 */
public record CreateFundsTransferCommand(@TargetAggregateIdentifier String fundsTransferId,
                                         String bankAccountId,
                                         FundsTransferType type,
                                         long amount,
                                         String accountId) {
}
