package com.bankaccounts.query.fundstransfer;

import com.bankaccounts.platform.persistence.DbTime;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.api.fundstransfer.FindFundsTransferQuery;
import com.bankaccounts.api.fundstransfer.FundsTransferResponse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The funds_transfer_view table; writes are idempotent by aggregate version. */
@Repository
public class FundsTransferReadModel {

    private static final String COLUMNS = """
            id, account_id, bank_account_id, type, amount, status, verification_code, test, posted_at, created_at,
            created_by, updated_at, updated_by""";

    private final JdbcClient jdbc;

    public FundsTransferReadModel(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A row as stored, including what only the sandbox statement shows. */
    public record StoredTransfer(FundsTransferResponse response, Instant createdAt, String verificationCode,
                                 Instant postedAt) {
    }

    public void insert(String id, String accountId, String bankAccountId, String type, long amount,
                       String verificationCode, boolean test, Instant at, String by, long version) {
        jdbc.sql("""
                        INSERT INTO funds_transfer_view (id, account_id, bank_account_id, type, amount, status,
                            verification_code, test, created_at, created_by, updated_at, updated_by, version)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(id, accountId, bankAccountId, type, amount, FundsTransferResponse.STATUS_CREATED,
                        verificationCode, test, DbTime.of(at), by, DbTime.of(at), by, version)
                .update();
    }

    /** Settled: a change of the transfer like any other (settledAt appears), even when its status stays. */
    public void markPosted(String id, Instant at, String by, long version) {
        jdbc.sql("""
                        UPDATE funds_transfer_view SET posted_at = ?, updated_at = ?, updated_by = ?, version = ?
                        WHERE id = ? AND version < ?""")
                .params(DbTime.of(at), DbTime.of(at), by, version, id, version)
                .update();
    }

    public void markDone(String id, Instant at, String by, long version) {
        jdbc.sql("""
                        UPDATE funds_transfer_view SET status = ?, updated_at = ?, updated_by = ?, version = ?
                        WHERE id = ? AND version < ?""")
                .params(FundsTransferResponse.STATUS_DONE, DbTime.of(at), by, version, id, version)
                .update();
    }

    /** Versions of events this view does not show still advance it, so replays stay idempotent. */
    public void advance(String id, long version) {
        jdbc.sql("UPDATE funds_transfer_view SET version = ? WHERE id = ? AND version < ?")
                .params(version, id, version)
                .update();
    }

    /** The one transfer as the API shows it: what the POSTs and the GET answer. */
    @QueryHandler
    public FundsTransferResponse handle(FindFundsTransferQuery query) {
        return findById(query.fundsTransferId()).map(StoredTransfer::response).orElse(null);
    }

    public Optional<StoredTransfer> findById(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM funds_transfer_view WHERE id = ?")
                .param(id).query(FundsTransferReadModel::map).optional();
    }

    /** Newest first, starting after the given position (exclusive) when there is one. */
    public List<StoredTransfer> findByAccount(String accountId, Instant beforeCreatedAt, String beforeId, int limit) {
        if (beforeCreatedAt == null) {
            return jdbc.sql("SELECT " + COLUMNS + " FROM funds_transfer_view WHERE account_id = ?"
                            + " ORDER BY created_at DESC, id DESC LIMIT ?")
                    .params(accountId, limit).query(FundsTransferReadModel::map).list();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM funds_transfer_view WHERE account_id = ?"
                        // A row comparison, so the position is an index condition on (account_id, created_at, id).
                        + " AND (created_at, id) < (?, ?)"
                        + " ORDER BY created_at DESC, id DESC LIMIT ?")
                .params(accountId, DbTime.of(beforeCreatedAt), beforeId, limit)
                .query(FundsTransferReadModel::map).list();
    }

    /** Posted transfers of a bank account, newest first. */
    public List<StoredTransfer> findPostedByBankAccount(String bankAccountId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM funds_transfer_view WHERE bank_account_id = ?"
                        + " AND posted_at IS NOT NULL ORDER BY posted_at DESC, id DESC")
                .param(bankAccountId).query(FundsTransferReadModel::map).list();
    }

    public void deleteAll() {
        jdbc.sql("DELETE FROM funds_transfer_view").update();
    }

    private static StoredTransfer map(ResultSet rs, int row) throws SQLException {
        Instant createdAt = DbTime.read(rs, "created_at");
        Instant postedAt = DbTime.read(rs, "posted_at");
        FundsTransferResponse response = new FundsTransferResponse(rs.getString("id"), rs.getString("account_id"),
                rs.getString("bank_account_id"), rs.getString("type"), Long.toString(rs.getLong("amount")),
                rs.getString("status"), rs.getBoolean("test") ? Boolean.TRUE : null,
                Timestamps.format(postedAt), Timestamps.format(createdAt),
                rs.getString("created_by"),
                Timestamps.format(DbTime.read(rs, "updated_at")),
                rs.getString("updated_by"));
        return new StoredTransfer(response, createdAt, rs.getString("verification_code"),
                postedAt);
    }

}
