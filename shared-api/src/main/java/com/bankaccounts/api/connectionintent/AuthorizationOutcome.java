package com.bankaccounts.api.connectionintent;

/** A refused code fails the intent (an event), so it is a result rather than an exception that would roll it back. */
public enum AuthorizationOutcome {
    AUTHORIZED,
    CODE_REJECTED
}
