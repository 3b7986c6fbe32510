package com.bankaccounts.api.fundstransfer;

public record FundsTransferSettledEvent(String fundsTransferId) {
}
