package com.bankaccounts.command.fundstransfer;

import com.bankaccounts.api.bankaccount.BankAccountVerifiedEvent;
import com.bankaccounts.api.fundstransfer.ReleaseTopUpFundsCommand;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Releases the pending top ups of a bank account when it is verified. Subscribing: it runs in the verification's
 * own transaction, so the verification and the releases commit together or not at all.
 */
@Component
@ProcessingGroup(TopUpReleaser.PROCESSING_GROUP)
public class TopUpReleaser {

    public static final String PROCESSING_GROUP = "funds-transfer-release";

    private final BankAccountRegistry registry;
    private final FundsTransferCodes codes;
    private final CommandGateway commandGateway;

    public TopUpReleaser(BankAccountRegistry registry, FundsTransferCodes codes, CommandGateway commandGateway) {
        this.registry = registry;
        this.codes = codes;
        this.commandGateway = commandGateway;
    }

    @EventHandler
    void on(BankAccountVerifiedEvent event) {
        // The row lock waits for any transfer being created on this bank account, so that one is found here too.
        registry.lock(event.bankAccountId());
        for (String fundsTransferId : codes.topUpsOf(event.bankAccountId())) {
            commandGateway.sendAndWait(new ReleaseTopUpFundsCommand(fundsTransferId));
        }
    }
}
