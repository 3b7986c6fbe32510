package com.bankaccounts.command.bankaccount;

import com.bankaccounts.platform.account.Account;
import com.bankaccounts.platform.persistence.DbTime;
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
    public Optional<Account> lockAccount(String accountId) {
        return jdbc.sql("SELECT id, name, test, created_at, created_by FROM accounts WHERE id = ? FOR UPDATE")
                .param(accountId)
                .query((rs, row) -> new Account(rs.getString("id"), rs.getString("name"), rs.getBoolean("test"),
                        DbTime.read(rs, "created_at"), rs.getString("created_by")))
                .optional();
    }

    @Override
    public Claim claim(String bankAccountId, String accountId, String bankAccountNumber, boolean test) {
        // Accounts are never deleted, and the caller has found this one.
        lockAccount(accountId).orElseThrow(() -> new IllegalStateException("no account " + accountId));
        return claimLocked(bankAccountId, accountId, bankAccountNumber, test);
    }

    /**
     * Four statements: both per-account checks in one (the account's number of bank accounts is one row,
     * bank_account_holdings, kept by this claim under the account's lock), the number's lock taken by one upsert
     * (DO UPDATE locks an existing row as FOR UPDATE would), and the holder check in the insert itself, which also
     * raises the account's number: a statement of its own after the lock wait, so under READ COMMITTED it sees the
     * previous holder's commit.
     */
    @Override
    public Claim claimLocked(String bankAccountId, String accountId, String bankAccountNumber, boolean test) {
        AccountHoldings holdings = jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM bank_account_registry
                                       WHERE account_id = ? AND bank_account_number = ?) AS held,
                               (SELECT bank_accounts FROM bank_account_holdings WHERE account_id = ?) AS bank_accounts""")
                .params(accountId, bankAccountNumber, accountId)
                .query((rs, row) -> new AccountHoldings(rs.getBoolean("held"), rs.getLong("bank_accounts")))
                .single();
        if (holdings.held()) {
            return Claim.ALREADY_HELD;
        }
        if (holdings.bankAccounts() >= limits.maxPerAccount()) {
            return Claim.ACCOUNT_LIMIT_REACHED;
        }
        jdbc.sql("""
                        INSERT INTO bank_account_number_lock (bank_account_number) VALUES (?)
                        ON CONFLICT (bank_account_number) DO UPDATE SET bank_account_number = EXCLUDED.bank_account_number""")
                .param(bankAccountNumber).update();
        // Test data and live data count apart: test accounts must not use up a real number's holders.
        int inserted = jdbc.sql("""
                        WITH claimed AS (
                            INSERT INTO bank_account_registry (bank_account_id, account_id, bank_account_number, test)
                            SELECT ?, ?, ?, ?
                            WHERE (SELECT COUNT(*) FROM (SELECT 1 FROM bank_account_registry
                                                         WHERE bank_account_number = ? AND test = ? LIMIT ?) AS holders) < ?
                            RETURNING account_id)
                        INSERT INTO bank_account_holdings (account_id, bank_accounts) SELECT account_id, 1 FROM claimed
                        ON CONFLICT (account_id) DO UPDATE SET bank_accounts = bank_account_holdings.bank_accounts + 1""")
                .params(bankAccountId, accountId, bankAccountNumber, test, bankAccountNumber, test,
                        limits.maxHoldersPerNumber(), limits.maxHoldersPerNumber())
                .update();
        return inserted == 1 ? Claim.CLAIMED : Claim.HOLDER_LIMIT_REACHED;
    }

    private record AccountHoldings(boolean held, long bankAccounts) {
    }

    @Override
    public Optional<RegisteredBankAccount> lock(String bankAccountId) {
        return read(bankAccountId, " FOR UPDATE");
    }

    @Override
    public Optional<RegisteredBankAccount> find(String bankAccountId) {
        return read(bankAccountId, "");
    }

    private Optional<RegisteredBankAccount> read(String bankAccountId, String lock) {
        return jdbc.sql("""
                        SELECT bank_account_id, account_id, bank_account_number, test, direct_debit_authorized, verified
                        FROM bank_account_registry WHERE bank_account_id = ?""" + lock)
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

}
