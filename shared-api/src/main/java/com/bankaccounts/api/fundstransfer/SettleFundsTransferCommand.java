package com.bankaccounts.api.fundstransfer;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The bank has posted the transfer. */
public record SettleFundsTransferCommand(@TargetAggregateIdentifier String fundsTransferId) {
}
