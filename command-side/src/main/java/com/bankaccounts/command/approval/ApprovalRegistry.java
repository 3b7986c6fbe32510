package com.bankaccounts.command.approval;

import com.bankaccounts.platform.persistence.DbTime;
import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.ApprovalType;
import java.time.Instant;
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
                Instant at) {
        jdbc.sql("""
                        INSERT INTO approval_registry (approval_id, bank_account_id, account_id, type, status, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(approvalId, bankAccountId, accountId, type.value(), status.value(), DbTime.of(at))
                .update();
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
