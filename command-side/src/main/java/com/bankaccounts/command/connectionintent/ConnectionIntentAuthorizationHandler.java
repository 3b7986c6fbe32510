package com.bankaccounts.command.connectionintent;

import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.bankaccount.BankAccountNumbers;
import com.bankaccounts.api.bankaccount.BankAccountFace;
import com.bankaccounts.api.bankaccount.CreateBankAccountCommand;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.connectionintent.AuthorizeConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.AuthorizeConnectionIntentCommand.ConnectedAccount;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.api.connectionintent.PendingAuthorization;
import com.bankaccounts.command.approval.Approval;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.command.connectionintent.provider.ProviderFailureException;
import com.bankaccounts.platform.crypto.TokenCipher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * Applies a grant, in one transaction: creates what the consent grants (bank accounts for account information,
 * reusing ones the account already holds, each with an approved account-consent approval; or an approved
 * payment-consent approval), marks the intent authorized and forgets the kept grant. A broken rule rolls all of it
 * back (the grant stays kept for a retry).
 */
@Component
public class ConnectionIntentAuthorizationHandler {

    private final Repository<ConnectionIntent> repository;
    private final BankAccountRegistry bankAccounts;
    private final CommandGateway commands;
    private final ConnectionIntentRegistry registry;
    private final Repository<Approval> approvals;
    private final TokenCipher cipher;

    public ConnectionIntentAuthorizationHandler(Repository<ConnectionIntent> repository,
                                                BankAccountRegistry bankAccounts, CommandGateway commands,
                                                ConnectionIntentRegistry registry, Repository<Approval> approvals,
                                                TokenCipher cipher) {
        this.repository = repository;
        this.bankAccounts = bankAccounts;
        this.commands = commands;
        this.registry = registry;
        this.approvals = approvals;
        this.cipher = cipher;
    }

    @CommandHandler
    public void handle(AuthorizeConnectionIntentCommand command) {
        Aggregate<ConnectionIntent> intent = repository.load(command.connectionIntentId());
        PendingAuthorization pending = intent.invoke(found -> found.pendingAuthorization(null));
        List<String> bankAccountIds = new ArrayList<>();
        List<String> approvalIds = new ArrayList<>();
        if (pending.type() == ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT) {
            for (Map.Entry<String, String> account : accountsByNumber(command.accounts(), pending.test()).entrySet()) {
                String bankAccountId = bankAccountFor(pending, account.getKey(), account.getValue());
                bankAccountIds.add(bankAccountId);
                approvalIds.add(approvedConsent(pending, bankAccountId, ApprovalType.ACCOUNT_CONSENT, command, null));
            }
        } else {
            bankAccountIds.add(pending.bankAccountId());
            approvalIds.add(approvedConsent(pending, pending.bankAccountId(), ApprovalType.PAYMENT_CONSENT, command,
                    pending.paymentTerms()));
        }
        intent.execute(found -> found.authorized(command.consentId(), bankAccountIds, approvalIds));
        registry.clearGrant(command.connectionIntentId());
    }

    /**
     * The provider's accounts by canonical number, in number order so that two authorizations sharing numbers take
     * their locks in the same order; a number that is not a valid one is a malformed answer.
     */
    private static Map<String, String> accountsByNumber(List<ConnectedAccount> accounts, boolean test) {
        Map<String, String> byNumber = new TreeMap<>();
        for (ConnectedAccount account : accounts) {
            String number = BankAccountNumbers.canonical(account.accountNumber())
                    .filter(canonical -> test || BankAccountNumbers.hasValidCheckDigits(canonical))
                    .orElseThrow(ProviderFailureException::error);
            String name = account.name().trim();
            byNumber.putIfAbsent(number, name.length() > 200 ? name.substring(0, 200) : name);
        }
        return byNumber;
    }

    private String bankAccountFor(PendingAuthorization pending, String number, String name) {
        return bankAccounts.findByAccountAndNumber(pending.accountId(), number)
                .orElseGet(() -> commands.<String>sendAndWait(new CreateBankAccountCommand(Ids.newId(),
                        pending.accountId(), number, name, null, BankAccountFace.BANK_ACCOUNT)));
    }

    private String approvedConsent(PendingAuthorization pending, String bankAccountId, ApprovalType type,
                                   AuthorizeConnectionIntentCommand grant, PaymentConsentTerms terms) {
        String approvalId = Ids.newId();
        String encryptedRefreshToken = cipher.encrypt(grant.refreshToken());
        try {
            approvals.newInstance(() -> Approval.approvedConsent(approvalId, pending.accountId(), bankAccountId, type,
                    encryptedRefreshToken, grant.consentId(), terms));
        } catch (Exception e) {
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
        return approvalId;
    }
}
