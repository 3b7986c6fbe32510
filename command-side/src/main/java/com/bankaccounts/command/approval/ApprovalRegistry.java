package com.bankaccounts.command.approval;

import com.bankaccounts.platform.persistence.DbTime;
import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The command side's view of approvals: what is in progress per bank account, and who owns each approval. */
@Repository
public class ApprovalRegistry {

    private final JdbcClient jdbc;

    public ApprovalRegistry(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String approvalId, String bankAccountId, String accountId, ApprovalType type, ApprovalStatus status,
                String encryptedRefreshToken, PaymentConsentTerms terms, Instant expiresAt, String connectionIntentId,
                Instant at) {
        jdbc.sql("""
                        INSERT INTO approval_registry (approval_id, bank_account_id, account_id, type, status,
                            encrypted_refresh_token, consent_period, consent_total_amount, expires_at,
                            connection_intent_id, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(approvalId, bankAccountId, accountId, type.value(), status.value(), encryptedRefreshToken,
                        PaymentConsentTerms.periodOf(terms), terms == null ? null : terms.totalAmount(),
                        DbTime.of(expiresAt), connectionIntentId, DbTime.of(at))
                .update();
    }

    /** Approved at {@code at}: a payment consent's periods count from then. */
    void approve(String approvalId, Instant at) {
        jdbc.sql("UPDATE approval_registry SET status = ?, updated_at = ?, approved_at = ? WHERE approval_id = ?")
                .params(ApprovalStatus.APPROVED.value(), DbTime.of(at), DbTime.of(at), approvalId)
                .update();
    }

    /** A consent approval's bank account and its refresh token's ciphertext (null once forgotten, or none). */
    record RegisteredConsent(String bankAccountId, String encryptedRefreshToken) {
    }

    Optional<RegisteredConsent> consentOf(String approvalId) {
        return jdbc.sql("SELECT bank_account_id, encrypted_refresh_token FROM approval_registry WHERE approval_id = ?")
                .param(approvalId)
                .query((rs, row) -> new RegisteredConsent(rs.getString(1), rs.getString(2)))
                .optional();
    }

    /**
     * Whether no other consent of the approval's grant is still approved with the grant's refresh token. Ends
     * of one grant's consents take turns on the intent's registry row, and the question is asked only once the turn
     * is this transaction's, so of two ending at once the second sees the first's token forgotten. A consent from
     * before approvals named their intent counts as its grant's only one.
     */
    boolean lastOfItsGrant(String approvalId) {
        String connectionIntentId = jdbc.sql("""
                        SELECT i.connection_intent_id FROM approval_registry a
                        JOIN connection_intent_registry i ON i.connection_intent_id = a.connection_intent_id
                        WHERE a.approval_id = ? FOR UPDATE OF i""")
                .param(approvalId).query(String.class).optional().orElse(null);
        return connectionIntentId == null || jdbc.sql("""
                        SELECT NOT EXISTS (SELECT 1 FROM approval_registry WHERE connection_intent_id = ?
                            AND approval_id <> ? AND encrypted_refresh_token IS NOT NULL AND status = ?)""")
                .params(connectionIntentId, approvalId, ApprovalStatus.APPROVED.value()).query(Boolean.class)
                .single();
    }

    /** Consents completed while completing did not end them: they still hold their tokens. */
    List<String> completedConsentsHoldingTokens() {
        return jdbc.sql("""
                        SELECT approval_id FROM approval_registry
                        WHERE status = ? AND encrypted_refresh_token IS NOT NULL""")
                .param(ApprovalStatus.DONE.value()).query(String.class).list();
    }

    void forgetRefreshToken(String approvalId) {
        jdbc.sql("UPDATE approval_registry SET encrypted_refresh_token = NULL WHERE approval_id = ?")
                .param(approvalId).update();
    }

    void updateStatus(String approvalId, ApprovalStatus status, Instant at) {
        jdbc.sql("UPDATE approval_registry SET status = ?, updated_at = ? WHERE approval_id = ?")
                .params(status.value(), DbTime.of(at), approvalId)
                .update();
    }

    boolean hasSettlementAwaitingReview(String bankAccountId) {
        return jdbc.sql("""
                        SELECT COUNT(*) FROM approval_registry
                        WHERE bank_account_id = ? AND type = ? AND status IN (?, ?)""")
                .params(bankAccountId, ApprovalType.SETTLEMENT.value(), ApprovalStatus.CREATED.value(),
                        ApprovalStatus.PENDING.value())
                .query(Long.class).single() > 0;
    }

    Optional<String> ownerOf(String approvalId) {
        return jdbc.sql("SELECT account_id FROM approval_registry WHERE approval_id = ?")
                .param(approvalId).query(String.class).optional();
    }
}
