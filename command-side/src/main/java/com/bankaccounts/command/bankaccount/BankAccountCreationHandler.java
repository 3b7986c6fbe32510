package com.bankaccounts.command.bankaccount;

import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.bankaccount.CreateBankAccountCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * Creates bank accounts: claims the number in the registry (duplicate, per-account and per-number limits, in the
 * same transaction as the event append), then lets the aggregate apply its events.
 */
@Component
public class BankAccountCreationHandler {

    private final Repository<BankAccount> repository;
    private final BankAccountRegistry registry;

    public BankAccountCreationHandler(Repository<BankAccount> repository, BankAccountRegistry registry) {
        this.repository = repository;
        this.registry = registry;
    }

    @CommandHandler
    public BankAccountResponse handle(CreateBankAccountCommand command) throws Exception {
        registry.claim(command.bankAccountId(), command.accountId(), command.bankAccountNumber(), command.test());
        return repository.newInstance(() -> new BankAccount(command)).invoke(BankAccount::toResponse);
    }
}
