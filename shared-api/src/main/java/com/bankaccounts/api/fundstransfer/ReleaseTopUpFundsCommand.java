package com.bankaccounts.api.fundstransfer;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The top up's bank account has been verified, so its funds may be released. */
public record ReleaseTopUpFundsCommand(@TargetAggregateIdentifier String fundsTransferId) {
}
