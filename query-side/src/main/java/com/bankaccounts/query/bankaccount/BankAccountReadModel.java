package com.bankaccounts.query.bankaccount;

import com.bankaccounts.platform.persistence.DbTime;
import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.common.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The bank_account_view table. Writes are idempotent by aggregate version, so a replay or a redelivered event
 * changes nothing twice.
 */
@Repository
public class BankAccountReadModel {

    private static final String COLUMNS = """
            id, account_id, bank_account_number, bank_account_name, direct_debit_authorized, status, verified, test,
            created_at, created_by, modified_at, modified_by""";

    private final JdbcClient jdbc;

    public BankAccountReadModel(JdbcClient jdbc) {
        this.jdbc = jdbc;
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

    public Optional<BankAccountResponse> findById(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM bank_account_view WHERE id = ?")
                .param(id)
                .query(BankAccountReadModel::map)
                .optional();
    }

    public List<BankAccountResponse> findByAccount(String accountId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM bank_account_view WHERE account_id = ? ORDER BY created_at, id")
                .param(accountId)
                .query(BankAccountReadModel::map)
                .list();
    }

    public void deleteAll() {
        jdbc.sql("DELETE FROM bank_account_view").update();
    }

    private static BankAccountResponse map(ResultSet rs, int row) throws SQLException {
        return new BankAccountResponse(rs.getString("id"), rs.getString("account_id"),
                rs.getString("bank_account_number"), rs.getString("bank_account_name"),
                rs.getBoolean("direct_debit_authorized"), rs.getString("status"), rs.getBoolean("verified"),
                rs.getBoolean("test") ? Boolean.TRUE : null, timestamp(rs, "created_at"), rs.getString("created_by"),
                timestamp(rs, "modified_at"), rs.getString("modified_by"), List.of());
    }

    private static String timestamp(ResultSet rs, String column) throws SQLException {
        return Timestamps.format(DbTime.read(rs, column));
    }

}
