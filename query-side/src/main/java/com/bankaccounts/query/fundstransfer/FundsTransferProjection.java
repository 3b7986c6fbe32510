package com.bankaccounts.query.fundstransfer;

import com.bankaccounts.api.fundstransfer.FundsTransferCompletedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferCreatedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferSettledEvent;
import com.bankaccounts.api.fundstransfer.TopUpFundsReleasedEvent;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import com.bankaccounts.query.projection.ReplayableProjection;
import org.springframework.stereotype.Component;

@Component
@ProcessingGroup(FundsTransferProjection.PROCESSING_GROUP)
public class FundsTransferProjection implements ReplayableProjection {

    public static final String PROCESSING_GROUP = "funds-transfers";

    private final FundsTransferReadModel readModel;

    public FundsTransferProjection(FundsTransferReadModel readModel) {
        this.readModel = readModel;
    }

    @EventHandler
    void on(FundsTransferCreatedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal, @SequenceNumber long version) {
        readModel.insert(event.fundsTransferId(), event.accountId(), event.bankAccountId(), event.type().value(),
                event.amount(), event.verificationCode(), event.test(), at, principal, version);
    }

    @EventHandler
    void on(FundsTransferSettledEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal, @SequenceNumber long version) {
        readModel.markPosted(event.fundsTransferId(), at, principal, version);
    }

    @EventHandler
    void on(TopUpFundsReleasedEvent event, @SequenceNumber long version) {
        readModel.advance(event.fundsTransferId(), version);
    }

    @EventHandler
    void on(FundsTransferCompletedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal, @SequenceNumber long version) {
        readModel.markDone(event.fundsTransferId(), at, principal, version);
    }

    @ResetHandler
    void reset() {
        readModel.deleteAll();
    }
}
