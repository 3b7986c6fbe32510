package com.bankaccounts.api.fundstransfer;

/** One funds transfer as the API shows it ({@link FundsTransferResponse}), or null when there is none. */
public record FindFundsTransferQuery(String fundsTransferId) {
}
