package com.bankaccounts.api.fundstransfer;

/** {@code verificationCode} is the 4 digits the bank statement reference will carry. */
public record FundsTransferCreatedEvent(String fundsTransferId,
                                        String accountId,
                                        String bankAccountId,
                                        FundsTransferType type,
                                        long amount,
                                        String verificationCode,
                                        boolean test) {
}
