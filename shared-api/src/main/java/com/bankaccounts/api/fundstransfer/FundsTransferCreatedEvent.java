package com.bankaccounts.api.fundstransfer;

import java.time.Instant;

/**
 * {@code verificationCode} is the 4 digits the bank statement reference will carry. {@code paymentConsentId} and
 * {@code consentPeriodStart}: the payment consent a top up was made under and the period it counts in (added later;
 * null in older events and otherwise).
 */
public record FundsTransferCreatedEvent(String fundsTransferId,
                                        String accountId,
                                        String bankAccountId,
                                        FundsTransferType type,
                                        long amount,
                                        String verificationCode,
                                        boolean test,
                                        String paymentConsentId,
                                        Instant consentPeriodStart) {

    public FundsTransferCreatedEvent(String fundsTransferId, String accountId, String bankAccountId,
                                     FundsTransferType type, long amount, String verificationCode, boolean test) {
        this(fundsTransferId, accountId, bankAccountId, type, amount, verificationCode, test, null, null);
    }
}
