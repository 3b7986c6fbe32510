package com.bankaccounts.query.bankaccount;

import com.bankaccounts.platform.persistence.DbTime;
import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.common.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import com.bankaccounts.api.approval.ApprovalSummary;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The bank_account_view table. Writes are idempotent by aggregate version, so a replay or a redelivered event
 * changes nothing twice.
 */
@Repository
public class BankAccountReadModel {

    private static final String COLUMNS = """
            id, account_id, bank_account_number, bank_account_name, direct_debit_authorized, status, verified,
            failed_verification_attempts, test, created_at, created_by, modified_at, modified_by""";

    private static final String FIND_WITH_APPROVALS = "SELECT " + COLUMNS.replaceAll("(\\w+)", "v.$1") + """
            , a.type AS approval_type, a.status AS approval_status, a.modified_at AS approval_modified_at
            FROM bank_account_view v LEFT JOIN approval_view a ON a.bank_account_id = v.id
            WHERE v.id = ? ORDER BY a.modified_at, a.id""";

    private final JdbcClient jdbc;
    private final int maxFailedVerificationAttempts;

    public BankAccountReadModel(JdbcClient jdbc,
                                @Value("${app.bank-accounts.max-failed-verification-attempts}")
                                int maxFailedVerificationAttempts) {
        this.jdbc = jdbc;
        this.maxFailedVerificationAttempts = maxFailedVerificationAttempts;
    }

    public void insert(String id, String accountId, String number, String name, boolean test, Instant at,
                       String by, long version) {
        jdbc.sql("""
                        INSERT INTO bank_account_view (id, account_id, bank_account_number, bank_account_name,
                            direct_debit_authorized, status, verified, test, created_at, created_by, modified_at,
                            modified_by, version)
                        VALUES (?, ?, ?, ?, FALSE, ?, FALSE, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(id, accountId, number, name, BankAccountResponse.STATUS_CREATED, test, DbTime.of(at), by,
                        DbTime.of(at), by, version)
                .update();
    }

    public void markDirectDebitAuthorized(String id, Instant at, String by, long version) {
        jdbc.sql("""
                        UPDATE bank_account_view SET direct_debit_authorized = TRUE, modified_at = ?, modified_by = ?,
                            version = ?
                        WHERE id = ? AND version < ?""")
                .params(DbTime.of(at), by, version, id, version)
                .update();
    }

    public void markVerified(String id, Instant at, String by, long version) {
        jdbc.sql("""
                        UPDATE bank_account_view SET verified = TRUE, status = ?, modified_at = ?, modified_by = ?,
                            version = ?
                        WHERE id = ? AND version < ?""")
                .params(BankAccountResponse.STATUS_ACTIVE, DbTime.of(at), by, version, id, version)
                .update();
    }

    public void recordFailedVerification(String id, int failedAttempts, Instant at, String by, long version) {
        jdbc.sql("""
                        UPDATE bank_account_view SET failed_verification_attempts = ?, modified_at = ?,
                            modified_by = ?, version = ?
                        WHERE id = ? AND version < ?""")
                .params(failedAttempts, DbTime.of(at), by, version, id, version)
                .update();
    }

    public Optional<BankAccountResponse> findById(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM bank_account_view WHERE id = ?")
                .param(id)
                .query(this::map)
                .optional();
    }

    /**
     * A bank account with the summaries of its approvals, oldest first, in one statement: a GET's one round trip
     * instead of two (the approvals' columns are null on the one row of a bank account without any).
     */
    public Optional<BankAccountResponse> findByIdWithApprovals(String id) {
        List<Object[]> rows = jdbc.sql(FIND_WITH_APPROVALS)
                .param(id)
                .query((rs, row) -> new Object[] {row == 0 ? map(rs, row) : null,
                        rs.getString("approval_type") == null ? null : new ApprovalSummary(
                                rs.getString("approval_type"), rs.getString("approval_status"),
                                timestamp(rs, "approval_modified_at"))})
                .list();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<ApprovalSummary> approvals = rows.stream().map(row -> (ApprovalSummary) row[1])
                .filter(Objects::nonNull).toList();
        BankAccountResponse found = (BankAccountResponse) rows.get(0)[0];
        return Optional.of(approvals.isEmpty() ? found : found.withApprovals(approvals));
    }

    public List<BankAccountResponse> findByAccount(String accountId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM bank_account_view WHERE account_id = ? ORDER BY created_at, id")
                .param(accountId)
                .query(this::map)
                .list();
    }

    public void deleteAll() {
        jdbc.sql("DELETE FROM bank_account_view").update();
    }

    /**
     * The attempts left count against today's limit, as the command refusing the next one does; a verified bank
     * account has none to show.
     */
    private BankAccountResponse map(ResultSet rs, int row) throws SQLException {
        boolean verified = rs.getBoolean("verified");
        Integer attemptsRemaining = verified ? null
                : Math.max(0, maxFailedVerificationAttempts - rs.getInt("failed_verification_attempts"));
        return new BankAccountResponse(rs.getString("id"), rs.getString("account_id"),
                rs.getString("bank_account_number"), rs.getString("bank_account_name"),
                rs.getBoolean("direct_debit_authorized"), rs.getString("status"), verified, attemptsRemaining,
                rs.getBoolean("test") ? Boolean.TRUE : null, timestamp(rs, "created_at"), rs.getString("created_by"),
                timestamp(rs, "modified_at"), rs.getString("modified_by"), List.of());
    }

    private static String timestamp(ResultSet rs, String column) throws SQLException {
        return Timestamps.format(DbTime.read(rs, column));
    }

}
