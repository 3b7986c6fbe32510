package com.bankaccounts.api.approval;

/**
 * What an approved payment consent has used of its current period: amounts as strings of cents;
 * {@code remainingAmount} is left out when the consent has no total.
 */
public record PaymentConsentUsage(String periodStart, String periodEnd, String usedAmount, String remainingAmount) {
}
