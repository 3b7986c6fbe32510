package com.bankaccounts.command.bankaccount;

import java.util.Optional;

/** The set-based side of bank accounts: which account holds which number. */
public interface BankAccountRegistry {

    /**
     * Records that the account now holds the number, or refuses with DUPLICATE_BANK_ACCOUNT,
     * BANK_ACCOUNT_LIMIT_EXCEEDED or BANK_ACCOUNT_HOLDER_LIMIT_EXCEEDED. Must run in the transaction that appends
     * the creation events, so a refusal or a failed append leaves nothing behind.
     */
    void claim(String bankAccountId, String accountId, String bankAccountNumber);

    /** The account holding a bank account, if it exists. */
    Optional<String> ownerOf(String bankAccountId);
}
