package com.bankaccounts.api.connectionintent;

/** The limits of an enduring payment consent; {@code totalAmount} in cents, may be null. */
public record PaymentConsentTerms(String name, ConsentPeriod period, Long totalAmount) {
}
