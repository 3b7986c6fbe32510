package com.bankaccounts.api.bankaccount;

/** A failed attempt is recorded (an event), so it is a result, not an exception that would roll it back. */
public enum VerificationOutcome {
    VERIFIED,
    CODE_INVALID,
    ACCOUNT_MISMATCH
}
