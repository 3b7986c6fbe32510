package com.bankaccounts.command.bankaccount;

import com.bankaccounts.api.bankaccount.BankAccountVerifiedEvent;
import com.bankaccounts.api.bankaccount.DirectDebitAuthorizedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/** Keeps the registry's flags in step with the bank account, in the same transaction as its events (subscribing). */
@Component
@ProcessingGroup(BankAccountRegistryUpdater.PROCESSING_GROUP)
public class BankAccountRegistryUpdater {

    public static final String PROCESSING_GROUP = "bank-account-registry";

    private final BankAccountRegistry registry;

    public BankAccountRegistryUpdater(BankAccountRegistry registry) {
        this.registry = registry;
    }

    @EventHandler
    void on(DirectDebitAuthorizedEvent event) {
        registry.markDirectDebitAuthorized(event.bankAccountId());
    }

    @EventHandler
    void on(BankAccountVerifiedEvent event) {
        registry.markVerified(event.bankAccountId());
    }
}
