package com.bankaccounts.api.fundstransfer;

/** The transfer is {@code done}: settled, and for a top up also released. */
public record FundsTransferCompletedEvent(String fundsTransferId) {
}
