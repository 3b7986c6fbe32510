package com.bankaccounts.api.connectionintent;

import java.time.Instant;

/**
 * The limits of an enduring payment consent; {@code totalAmount} in cents, may be null. {@code expiresAt}: when the
 * consent ends, if it does (added later, null in older events).
 */
public record PaymentConsentTerms(String name, ConsentPeriod period, Long totalAmount, Instant expiresAt) {

    public PaymentConsentTerms(String name, ConsentPeriod period, Long totalAmount) {
        this(name, period, totalAmount, null);
    }

    /** The name as the API shows it; null when there are no terms. */
    public static String nameOf(PaymentConsentTerms terms) {
        return terms == null ? null : terms.name();
    }

    /** The period as the API shows it ({@code daily} …); null when there are no terms. */
    public static String periodOf(PaymentConsentTerms terms) {
        return terms == null || terms.period() == null ? null : terms.period().value();
    }

    /** The total amount as the API shows it (a string of cents); null when there is none. */
    public static String totalAmountOf(PaymentConsentTerms terms) {
        return terms == null || terms.totalAmount() == null ? null : terms.totalAmount().toString();
    }
}
