package com.bankaccounts.command.connectionintent;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.api.connectionintent.CreateConnectionIntentCommand;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.command.bankaccount.BankAccountRegistry.RegisteredBankAccount;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.AuthorizationRequest;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProviders;
import com.bankaccounts.command.connectionintent.provider.Pkce;
import com.bankaccounts.platform.account.Account;
import com.bankaccounts.platform.account.AccountRepository;
import com.bankaccounts.platform.crypto.TokenCipher;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/** Creates intents: gathers the liveness facts, makes the state and PKCE verifier, and asks the provider for the URL. */
@Component
public class ConnectionIntentCreationHandler {

    private final Repository<ConnectionIntent> repository;
    private final AccountRepository accounts;
    private final BankAccountRegistry bankAccounts;
    private final OpenBankingProviders providers;
    private final TokenCipher cipher;
    private final ConnectionIntentRegistry registry;

    public ConnectionIntentCreationHandler(Repository<ConnectionIntent> repository, AccountRepository accounts,
                                           BankAccountRegistry bankAccounts, OpenBankingProviders providers,
                                           TokenCipher cipher, ConnectionIntentRegistry registry) {
        this.repository = repository;
        this.accounts = accounts;
        this.bankAccounts = bankAccounts;
        this.providers = providers;
        this.cipher = cipher;
        this.registry = registry;
    }

    @CommandHandler
    public ConnectionIntentResponse handle(CreateConnectionIntentCommand command) throws Exception {
        Account account = accounts.findById(command.accountId())
                .orElseThrow(() -> new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND));
        Boolean bankAccountTest = null;
        if (command.bankAccountId() != null) {
            RegisteredBankAccount bankAccount = bankAccounts.lock(command.bankAccountId())
                    .filter(found -> found.accountId().equals(account.id()))
                    .orElseThrow(() -> new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND));
            bankAccountTest = bankAccount.test();
        }
        ConnectionIntent.requireSameLiveness(command.test(), account.test(), bankAccountTest);
        String state = Pkce.randomToken();
        String verifier = Pkce.randomToken();
        String authorizationUrl = providers.forIntent(command.test()).authorizationUrl(new AuthorizationRequest(
                command.connectionIntentId(), state, Pkce.challengeOf(verifier), command.redirectUri(),
                command.type() == ConnectionIntentType.ENDURING_PAYMENT_CONSENT, command.baseUrl()));
        boolean accountTest = account.test();
        Boolean namedBankAccountTest = bankAccountTest;
        Aggregate<ConnectionIntent> intent = repository.newInstance(() -> new ConnectionIntent(command, accountTest,
                namedBankAccountTest, state, cipher.encrypt(verifier), authorizationUrl));
        registry.insert(command.connectionIntentId(), account.id(), command.legacyRequest());
        return intent.invoke(ConnectionIntent::toResponse);
    }
}
