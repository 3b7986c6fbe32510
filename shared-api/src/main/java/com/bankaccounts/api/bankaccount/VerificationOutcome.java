package com.bankaccounts.api.bankaccount;

/** Why an attempt failed, as recorded in {@link BankAccountVerificationFailedEvent}; VERIFIED is never recorded. */
public enum VerificationOutcome {
    VERIFIED,
    CODE_INVALID,
    ACCOUNT_MISMATCH
}
