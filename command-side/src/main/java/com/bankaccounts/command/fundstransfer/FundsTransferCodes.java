package com.bankaccounts.command.fundstransfer;

import com.bankaccounts.api.common.SecureRandoms;
import com.bankaccounts.api.fundstransfer.FundsTransferType;
import com.bankaccounts.command.bankaccount.BankAccountRegistry.RegisteredBankAccount;
import com.bankaccounts.command.bankaccount.VerificationCodes;
import com.bankaccounts.platform.persistence.DbTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The command side's record of each transfer's code: what can verify a bank account (codes of transfers the bank
 * has posted in the validity window: a code is on a statement only then), and what a verification releases.
 */
@Repository
public class FundsTransferCodes implements VerificationCodes {

    /**
     * How many different codes a bank account's transfers of the validity window have: past them, a new transfer takes
     * one of the codes already given (an unposted transfer's code counts whatever its age, as it can still be posted).
     * Were each transfer's code new, an account holding someone else's number could post thousands of one-cent
     * withdrawals to it and then guess, as each adds a code that verifies; with five, three guesses succeed at most 15
     * times in 10,000, and every code on a statement still verifies.
     */
    static final int CODES_PER_BANK_ACCOUNT = 5;

    private final JdbcClient jdbc;
    private final Duration validity;
    private final Clock clock;

    public FundsTransferCodes(JdbcClient jdbc,
                              @Value("${app.funds-transfers.verification-code-validity:30d}") Duration validity) {
        this.jdbc = jdbc;
        this.validity = validity;
        this.clock = Clock.systemUTC();
    }

    /**
     * Makes a transfer's code, the 4 digits its statement reference will carry, and records it. Called under the bank
     * account's lock, so its codes are counted and added one transfer at a time.
     */
    String issue(String fundsTransferId, RegisteredBankAccount bankAccount, FundsTransferType type) {
        OffsetDateTime since = windowStart();
        List<String> given = jdbc.sql("""
                        SELECT DISTINCT verification_code FROM funds_transfer_code
                        WHERE bank_account_id = ? AND (created_at > ? OR settled_at > ? OR settled_at IS NULL)
                        ORDER BY verification_code""")
                .params(bankAccount.bankAccountId(), since, since).query(String.class).list();
        String code = given.size() < CODES_PER_BANK_ACCOUNT
                ? drawCode() : given.get(SecureRandoms.current().nextInt(given.size()));
        jdbc.sql("""
                        INSERT INTO funds_transfer_code (funds_transfer_id, bank_account_id, account_id,
                            bank_account_number, type, verification_code, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(fundsTransferId, bankAccount.bankAccountId(), bankAccount.accountId(),
                        bankAccount.bankAccountNumber(), type.value(), code, OffsetDateTime.now(clock))
                .update();
        return code;
    }

    static String drawCode() {
        return String.format("%04d", SecureRandoms.current().nextInt(10_000));
    }

    private OffsetDateTime windowStart() {
        return OffsetDateTime.now(clock).minus(validity).withOffsetSameInstant(ZoneOffset.UTC);
    }

    @Override
    public RecentCodes recentCodesFor(String bankAccountId) {
        OffsetDateTime since = windowStart();
        // The five most recently posted, as a backstop: more are posted only by transfers made before codes were
        // shared, or counted before the validity was raised.
        List<String> own = jdbc.sql("""
                        SELECT verification_code FROM funds_transfer_code
                        WHERE bank_account_id = ? AND settled_at > ?
                        GROUP BY verification_code ORDER BY max(settled_at) DESC LIMIT ?""")
                .params(bankAccountId, since, CODES_PER_BANK_ACCOUNT).query(String.class).list();
        List<String> otherAccounts = jdbc.sql("""
                        SELECT c.verification_code FROM funds_transfer_code c
                        JOIN bank_account_registry r ON r.bank_account_id = ?
                        JOIN bank_account_registry o ON o.bank_account_id = c.bank_account_id AND o.test = r.test
                        WHERE c.bank_account_number = r.bank_account_number AND c.account_id <> r.account_id
                          AND c.settled_at > ?""")
                .params(bankAccountId, since).query(String.class).list();
        return new RecentCodes(new HashSet<>(own), new HashSet<>(otherAccounts));
    }

    /** The bank has posted the transfer: from now its code is on a statement, and can verify. */
    void settled(String fundsTransferId, Instant at) {
        jdbc.sql("UPDATE funds_transfer_code SET settled_at = ? WHERE funds_transfer_id = ?")
                .params(DbTime.of(at), fundsTransferId).update();
    }

    List<String> topUpsOf(String bankAccountId) {
        return jdbc.sql("SELECT funds_transfer_id FROM funds_transfer_code WHERE bank_account_id = ? AND type = ?")
                .params(bankAccountId, FundsTransferType.TOPUP.value()).query(String.class).list();
    }

    /** The account that owns a transfer, if it exists. */
    Optional<String> ownerOf(String fundsTransferId) {
        return jdbc.sql("SELECT account_id FROM funds_transfer_code WHERE funds_transfer_id = ?")
                .param(fundsTransferId).query(String.class).optional();
    }
}
