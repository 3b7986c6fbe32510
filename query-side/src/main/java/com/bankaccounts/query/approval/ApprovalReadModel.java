package com.bankaccounts.query.approval;

import com.bankaccounts.platform.persistence.DbTime;
import com.bankaccounts.api.approval.ApprovalActivity;
import com.bankaccounts.api.approval.ApprovalSummary;
import com.bankaccounts.api.common.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** approval_view and approval_activity_view; writes are idempotent by aggregate version. */
@Repository
public class ApprovalReadModel {

    private static final String COLUMNS = """
            id, bank_account_id, account_id, type, status, media_upload_id, refresh_token, consent_id, consent_name,
            consent_period, consent_total_amount, created_at, created_by, modified_at, modified_by, expires_at, approved_at""";

    private final JdbcClient jdbc;

    public ApprovalReadModel(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored approval: {@code encryptedRefreshToken} is still ciphertext. */
    public record StoredApproval(String id, String bankAccountId, String accountId, String type, String status,
                                 String mediaUploadId, String encryptedRefreshToken, String consentId,
                                 String consentName, String consentPeriod, Long consentTotalAmount, Instant createdAt,
                                 String createdBy, Instant modifiedAt, String modifiedBy, Instant expiresAt,
                                 Instant approvedAt) {
    }

    public void insert(StoredApproval approval, long version) {
        jdbc.sql("INSERT INTO approval_view (" + COLUMNS + ", version)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(approval.id(), approval.bankAccountId(), approval.accountId(), approval.type(),
                        approval.status(), approval.mediaUploadId(), approval.encryptedRefreshToken(),
                        approval.consentId(), approval.consentName(), approval.consentPeriod(),
                        approval.consentTotalAmount(), DbTime.of(approval.createdAt()), approval.createdBy(),
                        DbTime.of(approval.modifiedAt()), approval.modifiedBy(), DbTime.of(approval.expiresAt()),
                        DbTime.of(approval.approvedAt()), version)
                .update();
    }

    /**
     * The approval's status moved, once per event (the version guards a re-delivery). One statement for the row, so a
     * replay writes each event's row once: {@code approved} sets when it was approved (a payment consent's periods
     * count from then), {@code ended} shreds its refresh token with the consent's end (no ciphertext kept either).
     */
    public void moveTo(String id, String status, Instant at, String by, long version, boolean approved,
                       boolean ended) {
        jdbc.sql("""
                        UPDATE approval_view SET status = ?, modified_at = ?, modified_by = ?, version = ?,
                            approved_at = CASE WHEN ? THEN COALESCE(approved_at, ?) ELSE approved_at END,
                            refresh_token = CASE WHEN ? THEN NULL ELSE refresh_token END
                        WHERE id = ? AND version < ?""")
                .params(status, DbTime.of(at), by, version, approved, DbTime.of(at), ended, id, version)
                .update();
    }

    /** A top up made under a payment consent, counted in its period; once per transfer. */
    public void addConsentUsage(String fundsTransferId, String approvalId, Instant periodStart, long amount) {
        jdbc.sql("""
                        INSERT INTO payment_consent_usage_view (funds_transfer_id, approval_id, period_start, amount)
                        VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(fundsTransferId, approvalId, DbTime.of(periodStart), amount).update();
    }

    public long consentUsage(String approvalId, Instant periodStart) {
        return jdbc.sql("""
                        SELECT COALESCE(SUM(amount), 0) FROM payment_consent_usage_view
                        WHERE approval_id = ? AND period_start = ?""")
                .params(approvalId, DbTime.of(periodStart)).query(Long.class).single();
    }

    public void addActivity(ApprovalActivityRow activity) {
        jdbc.sql("""
                        INSERT INTO approval_activity_view (approval_id, activity_number, activity_type, reason,
                            created_at, created_by)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(activity.approvalId(), activity.activityNumber(), activity.activityType(), activity.reason(),
                        DbTime.of(activity.createdAt()), activity.createdBy())
                .update();
    }

    public Optional<StoredApproval> findById(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM approval_view WHERE id = ?")
                .param(id).query(ApprovalReadModel::map).optional();
    }

    public List<StoredApproval> findByBankAccount(String bankAccountId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM approval_view WHERE bank_account_id = ? ORDER BY created_at DESC, id")
                .param(bankAccountId).query(ApprovalReadModel::map).list();
    }

    /** The approvals in any of the given statuses, newest first, at most {@code limit}. */
    public List<StoredApproval> findByStatuses(Collection<String> statuses, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM approval_view WHERE status IN (:statuses)"
                        + " ORDER BY created_at DESC, id LIMIT :limit")
                .param("statuses", statuses).param("limit", limit).query(ApprovalReadModel::map).list();
    }

    /** Activities of the given approvals, by approval id, in activity order. */
    public Map<String, List<ApprovalActivity>> activitiesOf(Collection<String> approvalIds) {
        Map<String, List<ApprovalActivity>> byApproval = new LinkedHashMap<>();
        if (approvalIds.isEmpty()) {
            return byApproval;
        }
        String placeholders = String.join(", ", approvalIds.stream().map(id -> "?").toList());
        jdbc.sql("SELECT approval_id, activity_number, activity_type, reason, created_at, created_by"
                        + " FROM approval_activity_view WHERE approval_id IN (" + placeholders + ")"
                        + " ORDER BY approval_id, activity_number")
                .params(List.copyOf(approvalIds))
                .query((rs, row) -> new ApprovalActivityRow(rs.getString("approval_id"), rs.getInt("activity_number"),
                        rs.getString("activity_type"), rs.getString("reason"), DbTime.read(rs, "created_at"),
                        rs.getString("created_by")).toActivity())
                .list()
                .forEach(activity -> byApproval.computeIfAbsent(activity.approvalId(), id -> new ArrayList<>())
                        .add(activity));
        return byApproval;
    }

    /** The approvals of each given bank account, oldest first, as the bank account shows them. */
    public Map<String, List<ApprovalSummary>> summariesOf(Collection<String> bankAccountIds) {
        Map<String, List<ApprovalSummary>> byBankAccount = new LinkedHashMap<>();
        if (bankAccountIds.isEmpty()) {
            return byBankAccount;
        }
        String placeholders = String.join(", ", bankAccountIds.stream().map(id -> "?").toList());
        jdbc.sql("SELECT bank_account_id, type, status, modified_at FROM approval_view"
                        + " WHERE bank_account_id IN (" + placeholders + ") ORDER BY modified_at, id")
                .params(List.copyOf(bankAccountIds))
                .query((rs, row) -> Map.entry(rs.getString("bank_account_id"), new ApprovalSummary(
                        rs.getString("type"), rs.getString("status"),
                        Timestamps.format(DbTime.read(rs, "modified_at")))))
                .list()
                .forEach(entry -> byBankAccount.computeIfAbsent(entry.getKey(), id -> new ArrayList<>())
                        .add(entry.getValue()));
        return byBankAccount;
    }

    public void deleteAll() {
        jdbc.sql("DELETE FROM approval_activity_view").update();
        jdbc.sql("DELETE FROM payment_consent_usage_view").update();
        jdbc.sql("DELETE FROM approval_view").update();
    }

    private static StoredApproval map(ResultSet rs, int row) throws SQLException {
        return new StoredApproval(rs.getString("id"), rs.getString("bank_account_id"), rs.getString("account_id"),
                rs.getString("type"), rs.getString("status"), rs.getString("media_upload_id"),
                rs.getString("refresh_token"), rs.getString("consent_id"), rs.getString("consent_name"),
                rs.getString("consent_period"), rs.getObject("consent_total_amount", Long.class),
                DbTime.read(rs, "created_at"), rs.getString("created_by"),
                DbTime.read(rs, "modified_at"), rs.getString("modified_by"), DbTime.read(rs, "expires_at"),
                DbTime.read(rs, "approved_at"));
    }

}
