package com.bankaccounts.command.approval;

import com.bankaccounts.api.approval.ApprovalCompletedEvent;
import com.bankaccounts.api.approval.ApprovalExpiredEvent;
import com.bankaccounts.api.approval.ApprovalRevokedEvent;
import com.bankaccounts.command.approval.ApprovalRegistry.RegisteredConsent;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.command.connectionintent.provider.TokenRevocations;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What ends with a consent (revoked, expired or completed), atomic with the event that ends it (subscribing, the
 * registry's group): its data key is deleted, so the token's ciphertext in the events can never be read again, and
 * once the last consent of a live grant has ended, the grant's refresh token is handed to {@link TokenRevocations} (a
 * durable task, run after the commit and retried). The consents of one grant (an account-information grant's bank accounts) share its token, and
 * a provider revokes a token for all of them: revoking it with the first would leave the others approved but dead.
 */
@Component
@ProcessingGroup(ApprovalRegistryUpdater.PROCESSING_GROUP)
class ConsentEndings {

    private static final Logger log = LoggerFactory.getLogger(ConsentEndings.class);

    private final ApprovalRegistry registry;
    private final BankAccountRegistry bankAccounts;
    private final TokenRevocations revocations;
    private final TransactionTemplate transaction;

    ConsentEndings(ApprovalRegistry registry, BankAccountRegistry bankAccounts, TokenRevocations revocations,
                   PlatformTransactionManager transactionManager) {
        this.registry = registry;
        this.bankAccounts = bankAccounts;
        this.revocations = revocations;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    @EventHandler
    void on(ApprovalRevokedEvent event) {
        end(event.approvalId());
    }

    @EventHandler
    void on(ApprovalExpiredEvent event) {
        end(event.approvalId());
    }

    /** A consent the admin completed has served its purpose: it ends too (a settlement approval holds no token). */
    @EventHandler
    void on(ApprovalCompletedEvent event) {
        end(event.approvalId());
    }

    /**
     * Consents completed before completing ended them kept their tokens readable, and a live grant whose last consent
     * was one of them was never revoked at the provider: they end now, once, each in a transaction of its own. Run on
     * every start; after the first it finds none. It needs the scheduler's revocation task, which Flyway's migrations
     * run too early for.
     */
    @EventListener(ApplicationReadyEvent.class)
    void endConsentsCompletedBefore() {
        try {
            for (String approvalId : registry.completedConsentsHoldingTokens()) {
                try {
                    transaction.executeWithoutResult(status -> end(approvalId));
                } catch (RuntimeException e) {
                    // A lock taken by a live request, or two nodes starting at once: the next start tries again.
                    log.warn("Could not end consent {} completed before: {}", approvalId, e.toString());
                }
            }
        } catch (RuntimeException e) {
            // A failure here must not stop a node that is already serving (a ready listener's exception would).
            log.warn("Could not look for consents completed before: {}", e.toString());
        }
    }

    void end(String approvalId) {
        RegisteredConsent consent = registry.consentOf(approvalId).orElse(null);
        if (consent == null || consent.encryptedRefreshToken() == null) {
            return;
        }
        // Not locked: a top-up holds the bank account's lock while it waits for the consent's row, which this
        // transaction has updated already.
        boolean live = bankAccounts.find(consent.bankAccountId()).map(bankAccount -> !bankAccount.test())
                .orElse(false);
        revocations.end(approvalId, consent.encryptedRefreshToken(), live && registry.lastOfItsGrant(approvalId));
        registry.forgetRefreshToken(approvalId);
    }
}
