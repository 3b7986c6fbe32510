package com.bankaccounts.command.approval;

import com.bankaccounts.api.approval.ApprovalAcceptedEvent;
import com.bankaccounts.api.approval.ApprovalCompletedEvent;
import com.bankaccounts.api.approval.ApprovalDeclinedEvent;
import com.bankaccounts.api.approval.ApprovalExpiredEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalRevokedEvent;
import com.bankaccounts.api.approval.ApprovalStatus;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

/** Keeps the approval registry in step, in the same transaction as the approval's events (subscribing). */
@Component
@ProcessingGroup(ApprovalRegistryUpdater.PROCESSING_GROUP)
public class ApprovalRegistryUpdater {

    public static final String PROCESSING_GROUP = "approval-registry";

    private final ApprovalRegistry registry;

    public ApprovalRegistryUpdater(ApprovalRegistry registry) {
        this.registry = registry;
    }

    @EventHandler
    void on(ApprovalRequestedEvent event, @Timestamp Instant at) {
        registry.insert(event.approvalId(), event.bankAccountId(), event.accountId(), event.type(), event.status(),
                event.encryptedRefreshToken(), event.paymentTerms(), event.expiresAt(), event.connectionIntentId(), at);
    }

    @EventHandler
    void on(ApprovalAcceptedEvent event, @Timestamp Instant at) {
        registry.approve(event.approvalId(), at);
    }

    @EventHandler
    void on(ApprovalDeclinedEvent event, @Timestamp Instant at) {
        registry.updateStatus(event.approvalId(), ApprovalStatus.DECLINED, at);
    }

    @EventHandler
    void on(ApprovalCompletedEvent event, @Timestamp Instant at) {
        registry.updateStatus(event.approvalId(), ApprovalStatus.DONE, at);
    }

    @EventHandler
    void on(ApprovalRevokedEvent event, @Timestamp Instant at) {
        registry.updateStatus(event.approvalId(), ApprovalStatus.REVOKED, at);
    }

    @EventHandler
    void on(ApprovalExpiredEvent event, @Timestamp Instant at) {
        registry.updateStatus(event.approvalId(), ApprovalStatus.EXPIRED, at);
    }
}
