package com.bankaccounts.api.bankaccount;

/** {@code failedAttempts} counts this one. */
public record BankAccountVerificationFailedEvent(String bankAccountId, String verificationCode, int failedAttempts) {
}
