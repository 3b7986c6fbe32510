package com.bankaccounts.api.connectionintent;

/** A refused code fails the intent (an event), so it is a result rather than an exception that would roll it back. */
public enum AuthorizationOutcome {
    AUTHORIZED,
    CODE_REJECTED,
    /** A payment consent whose end ({@code expiresAt}) came before its code: the intent failed, nothing was linked. */
    CONSENT_EXPIRED
}
