package com.bankaccounts.command.connectionintent;

import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.connectionintent.ConnectedAccount;
import com.bankaccounts.api.connectionintent.ConnectionIntentAuthorizedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.command.approval.Approval;
import com.bankaccounts.command.bankaccount.BankAccount;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.command.connectionintent.provider.TokenRevocations;
import com.bankaccounts.platform.crypto.ConsentTokens;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.beans.factory.annotation.Value;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * Links what a granted consent gives, as its intent's {@link ConnectionIntentAuthorizedEvent} decided: for account
 * information, each bank account the account does not hold yet, and one approved account-consent approval per bank
 * account, expiring {@code app.consents.account-information-validity} after the grant; for a payment consent, one
 * approved payment-consent approval, expiring at its terms' {@code expiresAt} if any; then it forgets the kept grant. Each
 * approval's refresh token is encrypted again under a data key of its own, so that ending one consent shreds its
 * token alone; the grant's key is then shredded, so the intent's event no longer holds a readable token.
 *
 * <p>Atomic with its trigger: a subscribing handler, so it runs in the transaction that appends the event. A broken
 * rule here (the bank account limit, a number held by too many accounts) rolls the authorization back with its code,
 * and the kept grant stays for a retry.
 */
@Component
@ProcessingGroup(ConsentGrantedLinker.PROCESSING_GROUP)
public class ConsentGrantedLinker {

    public static final String PROCESSING_GROUP = "consent-granted-linker";

    private final Repository<BankAccount> bankAccounts;
    private final Repository<Approval> approvals;
    private final BankAccountRegistry bankAccountRegistry;
    private final ConnectionIntentRegistry registry;
    private final ConsentTokens tokens;
    private final TokenRevocations revocations;
    private final DeadlineManager deadlines;
    private final Duration accountInformationValidity;

    public ConsentGrantedLinker(Repository<BankAccount> bankAccounts, Repository<Approval> approvals,
                                BankAccountRegistry bankAccountRegistry, ConnectionIntentRegistry registry,
                                ConsentTokens tokens, TokenRevocations revocations, DeadlineManager deadlines,
                                @Value("${app.consents.account-information-validity:90d}")
                                Duration accountInformationValidity) {
        this.tokens = tokens;
        this.revocations = revocations;
        this.deadlines = deadlines;
        this.accountInformationValidity = accountInformationValidity;
        this.bankAccounts = bankAccounts;
        this.approvals = approvals;
        this.bankAccountRegistry = bankAccountRegistry;
        this.registry = registry;
    }

    @EventHandler
    void on(ConnectionIntentAuthorizedEvent event, @Timestamp Instant approvedAt) throws Exception {
        if (event.type() == null) {
            return; // an older event: what it granted was linked when it happened
        }
        String refreshToken = tokens.decrypt(event.encryptedRefreshToken()).orElse(null);
        for (int i = 0; i < event.approvalIds().size(); i++) {
            String bankAccountId = event.bankAccountIds().get(i);
            String approvalId = event.approvalIds().get(i);
            String encryptedRefreshToken = tokens.encrypt(refreshToken);
            if (event.type() == ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT) {
                ConnectedAccount account = event.connectedAccounts().get(i);
                if (bankAccountRegistry.ownerOf(bankAccountId).isEmpty()) {
                    bankAccounts.newInstance(() -> BankAccount.linked(bankAccountId, event.accountId(),
                            account.accountNumber(), account.name(), Boolean.TRUE.equals(event.test()),
                            bankAccountRegistry));
                }
                approvals.newInstance(() -> Approval.approvedConsent(approvalId, event.accountId(), bankAccountId,
                        ApprovalType.ACCOUNT_CONSENT, encryptedRefreshToken, event.consentId(), null,
                        approvedAt.plus(accountInformationValidity), event.connectionIntentId(), deadlines));
            } else {
                approvals.newInstance(() -> Approval.approvedConsent(approvalId, event.accountId(), bankAccountId,
                        ApprovalType.PAYMENT_CONSENT, encryptedRefreshToken, event.consentId(),
                        event.paymentTerms(), event.paymentTerms() == null ? null : event.paymentTerms().expiresAt(),
                        event.connectionIntentId(), deadlines));
            }
        }
        // A grant that shared no account links no consent whose end would ask for its revocation: revoked now.
        revocations.end(event.connectionIntentId(), event.encryptedRefreshToken(),
                event.approvalIds().isEmpty() && !Boolean.TRUE.equals(event.test()));
        registry.clearGrant(event.connectionIntentId());
    }
}
