package com.bankaccounts.command.bankaccount;

import com.bankaccounts.platform.account.Account;
import java.util.Optional;

/** The set-based side of bank accounts: which account holds which number, and what transfers need to know. */
public interface BankAccountRegistry {

    /** A bank account as the command side's lookups know it. */
    record RegisteredBankAccount(String bankAccountId, String accountId, String bankAccountNumber, boolean test,
                                 boolean directDebitAuthorized, boolean verified) {
    }

    /** What a claim found; the bank account names the refusals (their codes depend on the endpoint). */
    enum Claim {
        CLAIMED,
        ALREADY_HELD,
        ACCOUNT_LIMIT_REACHED,
        HOLDER_LIMIT_REACHED
    }

    /**
     * Reads an account and locks its row until the transaction ends: the lock that orders the claims of one account.
     * Empty when there is no such account.
     */
    Optional<Account> lockAccount(String accountId);

    /**
     * Records that an existing account now holds the number, unless the account already holds it, holds as many bank
     * accounts as it may, or the number has as many holders as it may (then nothing is recorded). Must run in the
     * transaction that appends the creation events, so a failed append leaves nothing behind. Locks the account
     * first, as {@link #lockAccount} does.
     */
    Claim claim(String bankAccountId, String accountId, String bankAccountNumber, boolean test);

    /** {@link #claim}, for a caller that already holds the account's lock ({@link #lockAccount}). */
    Claim claimLocked(String bankAccountId, String accountId, String bankAccountNumber, boolean test);

    /**
     * Reads a bank account and locks its row until the transaction ends, ordering a transfer's creation against the
     * bank account's verification on any node.
     */
    Optional<RegisteredBankAccount> lock(String bankAccountId);

    /**
     * Reads a bank account without locking it, for what never changes (its account, number, test or live): a lock
     * here could order a transaction against a transfer's the other way round and deadlock.
     */
    Optional<RegisteredBankAccount> find(String bankAccountId);

    void markDirectDebitAuthorized(String bankAccountId);

    void markVerified(String bankAccountId);

    /** The bank account of an account with the given (canonical) number, if it holds one. */
    Optional<String> findByAccountAndNumber(String accountId, String bankAccountNumber);

    /** The account holding a bank account, if it exists. */
    Optional<String> ownerOf(String bankAccountId);
}
