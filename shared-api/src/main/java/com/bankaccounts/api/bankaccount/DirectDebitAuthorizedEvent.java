package com.bankaccounts.api.bankaccount;

public record DirectDebitAuthorizedEvent(String bankAccountId,
                                         String phoneNumber,
                                         String fullName,
                                         String emailAddress) {
}
