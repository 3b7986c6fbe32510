package com.bankaccounts.api.fundstransfer;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** {@code amount} in cents. */
public record CreateFundsTransferCommand(@TargetAggregateIdentifier String fundsTransferId,
                                         String bankAccountId,
                                         FundsTransferType type,
                                         long amount) {
}
