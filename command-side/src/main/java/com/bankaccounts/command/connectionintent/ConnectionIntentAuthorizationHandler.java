package com.bankaccounts.command.connectionintent;

import com.bankaccounts.api.approval.AcceptApprovalCommand;
import com.bankaccounts.api.approval.ApprovalResponse;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.approval.RequestApprovalCommand;
import com.bankaccounts.api.bankaccount.BankAccountNumbers;
import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.bankaccount.CreateBankAccountCommand;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.connectionintent.AuthorizationOutcome;
import com.bankaccounts.api.connectionintent.AuthorizeConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.command.connectionintent.ConnectionIntent.PendingAuthorization;
import com.bankaccounts.command.connectionintent.provider.AuthorizationCodeRejectedException;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.CodeExchange;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderAccount;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderGrant;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProviders;
import com.bankaccounts.command.connectionintent.provider.ProviderCallLimiter;
import com.bankaccounts.command.connectionintent.provider.ProviderFailureException;
import com.bankaccounts.platform.crypto.TokenCipher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Authorizes an intent: exchanges the code once, then, in the same transaction, creates what the consent grants
 * (bank accounts for account information, reusing ones the account already holds, each with an approved
 * account-consent approval; or an approved payment-consent approval) and marks the intent authorized. A refused
 * code fails the intent; a provider failure or a broken rule rolls everything back and leaves it {@code created}.
 * <p>
 * The exchange runs inside the command, under the intent's lock, so a code is exchanged at most once per intent;
 * the provider calls are bounded by their timeouts, and their number at once by a {@link ProviderCallLimiter}.
 */
@Component
public class ConnectionIntentAuthorizationHandler {

    static final String CONSENT_CONFIRMED = "consent confirmed by the provider";

    private final Repository<ConnectionIntent> repository;
    private final OpenBankingProviders providers;
    private final BankAccountRegistry bankAccounts;
    private final CommandGateway commands;
    private final TokenCipher cipher;
    private final ProviderCallLimiter limiter;

    public ConnectionIntentAuthorizationHandler(Repository<ConnectionIntent> repository, OpenBankingProviders providers,
                                                BankAccountRegistry bankAccounts, CommandGateway commands,
                                                TokenCipher cipher,
                                                @Value("${app.open-banking.max-concurrent-calls:5}") int maxCalls) {
        this.repository = repository;
        this.providers = providers;
        this.bankAccounts = bankAccounts;
        this.commands = commands;
        this.cipher = cipher;
        this.limiter = new ProviderCallLimiter(maxCalls, Duration.ofSeconds(2));
    }

    @CommandHandler
    public AuthorizationOutcome handle(AuthorizeConnectionIntentCommand command) {
        Aggregate<ConnectionIntent> intent = repository.load(command.connectionIntentId());
        PendingAuthorization pending = intent.invoke(found -> found.pendingAuthorization(command.state()));
        OpenBankingProvider provider = providers.forIntent(pending.test());
        ProviderGrant grant;
        try {
            CodeExchange exchange = new CodeExchange(pending.connectionIntentId(), command.code(),
                    cipher.decrypt(pending.encryptedCodeVerifier()), pending.redirectUri());
            grant = limiter.call(() -> provider.exchange(exchange));
        } catch (AuthorizationCodeRejectedException e) {
            intent.execute(found -> found.failed(e.getMessage()));
            return AuthorizationOutcome.CODE_REJECTED;
        }
        List<String> bankAccountIds = new ArrayList<>();
        List<String> approvalIds = new ArrayList<>();
        if (pending.type() == ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT) {
            for (Map.Entry<String, String> account : accountsByNumber(limiter.call(() -> provider.accounts(grant)),
                    pending.test()).entrySet()) {
                String bankAccountId = bankAccountFor(pending, account.getKey(), account.getValue());
                bankAccountIds.add(bankAccountId);
                approvalIds.add(approvedConsent(pending, bankAccountId, ApprovalType.ACCOUNT_CONSENT, grant, null));
            }
        } else {
            bankAccountIds.add(pending.bankAccountId());
            approvalIds.add(approvedConsent(pending, pending.bankAccountId(), ApprovalType.PAYMENT_CONSENT, grant,
                    pending.paymentTerms()));
        }
        intent.execute(found -> found.authorized(grant.consentId(), bankAccountIds, approvalIds));
        return AuthorizationOutcome.AUTHORIZED;
    }

    /**
     * The provider's accounts by canonical number, in number order so that two authorizations sharing numbers take
     * their locks in the same order; a number that is not a valid one is a malformed answer.
     */
    private static Map<String, String> accountsByNumber(List<ProviderAccount> accounts, boolean test) {
        Map<String, String> byNumber = new TreeMap<>();
        for (ProviderAccount account : accounts) {
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
                .orElseGet(() -> commands.<BankAccountResponse>sendAndWait(new CreateBankAccountCommand(Ids.newId(),
                        pending.accountId(), number, name, pending.test(), null)).id());
    }

    private String approvedConsent(PendingAuthorization pending, String bankAccountId, ApprovalType type,
                                   ProviderGrant grant, PaymentConsentTerms terms) {
        ApprovalResponse approval = commands.sendAndWait(new RequestApprovalCommand(Ids.newId(), pending.accountId(),
                bankAccountId, type, null, grant.refreshToken(), grant.consentId(), terms));
        commands.sendAndWait(new AcceptApprovalCommand(approval.id(), CONSENT_CONFIRMED));
        return approval.id();
    }
}
