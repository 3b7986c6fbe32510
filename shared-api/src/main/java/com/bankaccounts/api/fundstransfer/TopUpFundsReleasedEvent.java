package com.bankaccounts.api.fundstransfer;

public record TopUpFundsReleasedEvent(String fundsTransferId) {
}
