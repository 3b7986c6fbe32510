package com.bankaccounts.command.bankaccount;

import java.util.Optional;

/** The set-based side of bank accounts: which account holds which number, and what transfers need to know. */
public interface BankAccountRegistry {

    /** A bank account as the command side's lookups know it. */
    record RegisteredBankAccount(String bankAccountId, String accountId, String bankAccountNumber, boolean test,
                                 boolean directDebitAuthorized, boolean verified) {
    }

    /**
     * Records that the account now holds the number, or refuses with DUPLICATE_BANK_ACCOUNT,
     * BANK_ACCOUNT_LIMIT_EXCEEDED or BANK_ACCOUNT_HOLDER_LIMIT_EXCEEDED. Must run in the transaction that appends
     * the creation events, so a refusal or a failed append leaves nothing behind.
     */
    void claim(String bankAccountId, String accountId, String bankAccountNumber, boolean test);

    /**
     * Reads a bank account and locks its row until the transaction ends, ordering a transfer's creation against the
     * bank account's verification on any node.
     */
    Optional<RegisteredBankAccount> lock(String bankAccountId);

    void markDirectDebitAuthorized(String bankAccountId);

    void markVerified(String bankAccountId);

    /** The bank account of an account with the given (canonical) number, if it holds one. */
    Optional<String> findByAccountAndNumber(String accountId, String bankAccountNumber);

    /** The account holding a bank account, if it exists. */
    Optional<String> ownerOf(String bankAccountId);
}
