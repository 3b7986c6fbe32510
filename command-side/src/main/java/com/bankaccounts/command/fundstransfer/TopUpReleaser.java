package com.bankaccounts.command.fundstransfer;

import com.bankaccounts.api.bankaccount.BankAccountVerifiedEvent;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * Releases the pending top ups of a bank account when it is verified. Atomic with the verification: a subscribing
 * handler, it runs in the verification's own transaction and unit of work, so the verification and the releases
 * commit together or not at all.
 */
@Component
@ProcessingGroup(TopUpReleaser.PROCESSING_GROUP)
public class TopUpReleaser {

    public static final String PROCESSING_GROUP = "funds-transfer-release";

    private final BankAccountRegistry registry;
    private final FundsTransferCodes codes;
    private final Repository<FundsTransfer> transfers;

    public TopUpReleaser(BankAccountRegistry registry, FundsTransferCodes codes, Repository<FundsTransfer> transfers) {
        this.registry = registry;
        this.codes = codes;
        this.transfers = transfers;
    }

    @EventHandler
    void on(BankAccountVerifiedEvent event) {
        // The row lock waits for any transfer being created on this bank account, so that one is found here too.
        registry.lock(event.bankAccountId());
        for (String fundsTransferId : codes.topUpsOf(event.bankAccountId())) {
            transfers.load(fundsTransferId).execute(FundsTransfer::release);
        }
    }
}
