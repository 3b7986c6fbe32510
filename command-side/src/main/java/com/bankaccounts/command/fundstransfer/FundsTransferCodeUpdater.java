package com.bankaccounts.command.fundstransfer;

import com.bankaccounts.api.fundstransfer.FundsTransferSettledEvent;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

/** Marks a transfer's code as posted, in the same transaction as the settlement (subscribing). */
@Component
@ProcessingGroup(FundsTransferCodeUpdater.PROCESSING_GROUP)
public class FundsTransferCodeUpdater {

    public static final String PROCESSING_GROUP = "funds-transfer-codes";

    private final FundsTransferCodes codes;

    public FundsTransferCodeUpdater(FundsTransferCodes codes) {
        this.codes = codes;
    }

    @EventHandler
    void on(FundsTransferSettledEvent event, @Timestamp Instant at) {
        codes.settled(event.fundsTransferId(), at);
    }
}
