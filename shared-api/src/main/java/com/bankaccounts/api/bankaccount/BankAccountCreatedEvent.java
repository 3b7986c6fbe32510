package com.bankaccounts.api.bankaccount;

public record BankAccountCreatedEvent(String bankAccountId,
                                      String accountId,
                                      String bankAccountNumber,
                                      String bankAccountName,
                                      boolean test) {
}
