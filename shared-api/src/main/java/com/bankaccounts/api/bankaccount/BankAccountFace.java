package com.bankaccounts.api.bankaccount;

/** The endpoint a bank account is created through: the deprecated bank authorities name two refusals their own way. */
public enum BankAccountFace {
    BANK_ACCOUNT,
    BANK_AUTHORITY
}
