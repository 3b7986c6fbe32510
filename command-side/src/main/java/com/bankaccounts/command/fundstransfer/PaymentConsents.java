package com.bankaccounts.command.fundstransfer;

import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.platform.persistence.DbTime;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Payment consents as top ups are held to them, in the top up's own transaction: the consent's registry row locked
 * (so a revocation or expiry and a top up take turns), and its usage per period raised only while within the total.
 */
@Repository
public class PaymentConsents {

    private final JdbcClient jdbc;

    public PaymentConsents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A consent approval as the registry holds it; {@code period}, {@code totalAmount} may be null. */
    public record PaymentConsent(String approvalId, String accountId, String bankAccountId, ApprovalType type,
                                 ApprovalStatus status, Instant approvedAt, ConsentPeriod period, Long totalAmount,
                                 Instant expiresAt) {

        public boolean activeAt(Instant at) {
            return type == ApprovalType.PAYMENT_CONSENT && status == ApprovalStatus.APPROVED && approvedAt != null
                    && (expiresAt == null || at.isBefore(expiresAt));
        }
    }

    /** Reads the approval and locks its row until the transaction ends. */
    public Optional<PaymentConsent> lock(String approvalId) {
        return jdbc.sql("""
                        SELECT approval_id, account_id, bank_account_id, type, status, approved_at, consent_period,
                               consent_total_amount, expires_at
                        FROM approval_registry WHERE approval_id = ? FOR UPDATE""")
                .param(approvalId)
                .query((rs, row) -> new PaymentConsent(rs.getString("approval_id"), rs.getString("account_id"),
                        rs.getString("bank_account_id"),
                        ApprovalType.fromValue(rs.getString("type")).orElse(null),
                        status(rs.getString("status")), DbTime.read(rs, "approved_at"),
                        ConsentPeriod.fromValue(rs.getString("consent_period")).orElse(null),
                        rs.getObject("consent_total_amount", Long.class), DbTime.read(rs, "expires_at")))
                .optional();
    }

    /** Adds the amount to the period's usage if it stays within {@code total} (none: no limit); false otherwise. */
    public boolean use(String approvalId, Instant periodStart, long amount, Long total) {
        jdbc.sql("""
                        INSERT INTO payment_consent_usage (approval_id, period_start, used_amount) VALUES (?, ?, 0)
                        ON CONFLICT DO NOTHING""")
                .params(approvalId, DbTime.of(periodStart))
                .update();
        return jdbc.sql("""
                        UPDATE payment_consent_usage SET used_amount = used_amount + ?
                        WHERE approval_id = ? AND period_start = ? AND (CAST(? AS BIGINT) IS NULL OR used_amount + ? <= ?)""")
                .params(amount, approvalId, DbTime.of(periodStart), total, amount, total)
                .update() == 1;
    }

    private static ApprovalStatus status(String value) {
        for (ApprovalStatus status : ApprovalStatus.values()) {
            if (status.value().equals(value)) {
                return status;
            }
        }
        return null;
    }
}
