package com.bankaccounts.command.bankaccount;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Row locks make the checks hold under concurrency on any number of nodes: the account's row serialises claims
 * by one account, the number's row serialises claims of one number. Locks are always taken in that order, so two
 * claims cannot deadlock. Under READ COMMITTED each count after a lock wait sees what the previous holder committed.
 */
@Repository
public class JdbcBankAccountRegistry implements BankAccountRegistry {

    private final JdbcClient jdbc;
    private final BankAccountLimits limits;

    public JdbcBankAccountRegistry(JdbcClient jdbc, BankAccountLimits limits) {
        this.jdbc = jdbc;
        this.limits = limits;
    }

    @Override
    public Claim claim(String bankAccountId, String accountId, String bankAccountNumber, boolean test) {
        // Accounts are never deleted, and the caller has found this one.
        jdbc.sql("SELECT id FROM accounts WHERE id = ? FOR UPDATE").param(accountId).query(String.class).single();
        if (count("SELECT COUNT(*) FROM bank_account_registry WHERE account_id = ? AND bank_account_number = ?",
                accountId, bankAccountNumber) > 0) {
            return Claim.ALREADY_HELD;
        }
        if (count("SELECT COUNT(*) FROM bank_account_registry WHERE account_id = ?", accountId)
                >= limits.maxPerAccount()) {
            return Claim.ACCOUNT_LIMIT_REACHED;
        }
        jdbc.sql("INSERT INTO bank_account_number_lock (bank_account_number) VALUES (?) ON CONFLICT DO NOTHING")
                .param(bankAccountNumber).update();
        jdbc.sql("SELECT bank_account_number FROM bank_account_number_lock WHERE bank_account_number = ? FOR UPDATE")
                .param(bankAccountNumber).query(String.class).single();
        // Test data and live data count apart: test accounts must not use up a real number's holders.
        if (count("SELECT COUNT(*) FROM bank_account_registry WHERE bank_account_number = ? AND test = ?",
                bankAccountNumber, test) >= limits.maxHoldersPerNumber()) {
            return Claim.HOLDER_LIMIT_REACHED;
        }
        jdbc.sql("""
                        INSERT INTO bank_account_registry (bank_account_id, account_id, bank_account_number, test)
                        VALUES (?, ?, ?, ?)""")
                .params(bankAccountId, accountId, bankAccountNumber, test).update();
        return Claim.CLAIMED;
    }

    @Override
    public Optional<RegisteredBankAccount> lock(String bankAccountId) {
        return jdbc.sql("""
                        SELECT bank_account_id, account_id, bank_account_number, test, direct_debit_authorized, verified
                        FROM bank_account_registry WHERE bank_account_id = ? FOR UPDATE""")
                .param(bankAccountId)
                .query((rs, row) -> new RegisteredBankAccount(rs.getString("bank_account_id"),
                        rs.getString("account_id"), rs.getString("bank_account_number"), rs.getBoolean("test"),
                        rs.getBoolean("direct_debit_authorized"), rs.getBoolean("verified")))
                .optional();
    }

    @Override
    public void markDirectDebitAuthorized(String bankAccountId) {
        jdbc.sql("UPDATE bank_account_registry SET direct_debit_authorized = TRUE WHERE bank_account_id = ?")
                .param(bankAccountId).update();
    }

    @Override
    public void markVerified(String bankAccountId) {
        jdbc.sql("UPDATE bank_account_registry SET verified = TRUE WHERE bank_account_id = ?")
                .param(bankAccountId).update();
    }

    @Override
    public Optional<String> findByAccountAndNumber(String accountId, String bankAccountNumber) {
        return jdbc.sql("SELECT bank_account_id FROM bank_account_registry WHERE account_id = ? AND bank_account_number = ?")
                .params(accountId, bankAccountNumber).query(String.class).optional();
    }

    @Override
    public Optional<String> ownerOf(String bankAccountId) {
        return jdbc.sql("SELECT account_id FROM bank_account_registry WHERE bank_account_id = ?")
                .param(bankAccountId).query(String.class).optional();
    }

    private long count(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }
}
