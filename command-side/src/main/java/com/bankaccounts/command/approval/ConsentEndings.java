package com.bankaccounts.command.approval;

import com.bankaccounts.api.approval.ApprovalExpiredEvent;
import com.bankaccounts.api.approval.ApprovalRevokedEvent;
import com.bankaccounts.command.approval.ApprovalRegistry.RegisteredConsent;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.command.connectionintent.provider.TokenRevocations;
import com.bankaccounts.platform.crypto.ConsentTokens;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * What ends with a consent, atomic with the event that ends it (subscribing, the registry's group): its data key is
 * deleted, so the token's ciphertext in the events can never be read again, and once the last consent of a live
 * grant has ended, the grant's refresh token is handed to {@link TokenRevocations} (a durable task, run after the
 * commit and retried). The consents of one grant (an account-information grant's bank accounts) share its token, and
 * a provider revokes a token for all of them: revoking it with the first would leave the others approved but dead.
 */
@Component
@ProcessingGroup(ApprovalRegistryUpdater.PROCESSING_GROUP)
class ConsentEndings {

    private final ApprovalRegistry registry;
    private final BankAccountRegistry bankAccounts;
    private final ConsentTokens tokens;
    private final TokenRevocations revocations;

    ConsentEndings(ApprovalRegistry registry, BankAccountRegistry bankAccounts, ConsentTokens tokens,
                   TokenRevocations revocations) {
        this.registry = registry;
        this.bankAccounts = bankAccounts;
        this.tokens = tokens;
        this.revocations = revocations;
    }

    @EventHandler
    void on(ApprovalRevokedEvent event) {
        end(event.approvalId());
    }

    @EventHandler
    void on(ApprovalExpiredEvent event) {
        end(event.approvalId());
    }

    void end(String approvalId) {
        RegisteredConsent consent = registry.consentOf(approvalId).orElse(null);
        if (consent == null || consent.encryptedRefreshToken() == null) {
            return;
        }
        boolean live = bankAccounts.lock(consent.bankAccountId()).map(bankAccount -> !bankAccount.test())
                .orElse(false);
        if (live && registry.lastOfItsGrant(approvalId)) {
            tokens.decrypt(consent.encryptedRefreshToken())
                    .ifPresent(refreshToken -> revocations.schedule(approvalId, refreshToken));
        }
        tokens.shred(consent.encryptedRefreshToken());
        registry.forgetRefreshToken(approvalId);
    }
}
