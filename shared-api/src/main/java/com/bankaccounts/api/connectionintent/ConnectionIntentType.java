package com.bankaccounts.api.connectionintent;

/** What the user is asked to consent to. */
public enum ConnectionIntentType {
    ACCOUNT_INFORMATION_CONSENT,
    ENDURING_PAYMENT_CONSENT
}
