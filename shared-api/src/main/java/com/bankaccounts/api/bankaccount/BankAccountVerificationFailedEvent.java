package com.bankaccounts.api.bankaccount;

/** {@code failedAttempts} counts this one; {@code reason} is CODE_INVALID or ACCOUNT_MISMATCH. */
public record BankAccountVerificationFailedEvent(String bankAccountId, String verificationCode, int failedAttempts,
                                                 VerificationOutcome reason) {
}
