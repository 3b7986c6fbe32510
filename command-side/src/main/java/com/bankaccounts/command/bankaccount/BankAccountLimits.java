package com.bankaccounts.command.bankaccount;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Configurable limits (app.bank-accounts.*). */
@ConfigurationProperties("app.bank-accounts")
public record BankAccountLimits(int maxPerAccount, int maxHoldersPerNumber, int maxFailedVerificationAttempts) {
}
