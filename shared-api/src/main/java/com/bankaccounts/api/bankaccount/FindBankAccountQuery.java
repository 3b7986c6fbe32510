package com.bankaccounts.api.bankaccount;

/** One bank account as the API shows it ({@link BankAccountResponse}), or null when there is none. */
public record FindBankAccountQuery(String bankAccountId) {
}
