package com.bankaccounts.api.bankaccount;

public record BankAccountVerifiedEvent(String bankAccountId, String verificationCode) {
}
