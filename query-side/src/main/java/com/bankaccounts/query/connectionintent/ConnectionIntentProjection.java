package com.bankaccounts.query.connectionintent;

import com.bankaccounts.api.connectionintent.ConnectionIntentAuthorizedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentDeclinedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentFailedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import com.bankaccounts.query.projection.ReplayableProjection;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.stereotype.Component;

/** Stores the intent's own status ({@code authorized}); the legacy face shows it as {@code done} when read. */
@Component
@ProcessingGroup(ConnectionIntentProjection.PROCESSING_GROUP)
public class ConnectionIntentProjection implements ReplayableProjection {

    public static final String PROCESSING_GROUP = "connection-intents";

    private final ConnectionIntentReadModel readModel;

    public ConnectionIntentProjection(ConnectionIntentReadModel readModel) {
        this.readModel = readModel;
    }

    @EventHandler
    void on(ConnectionIntentCreatedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal, @SequenceNumber long version) {
        readModel.insert(event, at, principal, version);
    }

    @EventHandler
    void on(ConnectionIntentAuthorizedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal, @SequenceNumber long version) {
        readModel.authorize(event.connectionIntentId(), event.bankAccountIds(), event.approvalIds(), at, principal,
                version);
    }

    @EventHandler
    void on(ConnectionIntentFailedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal, @SequenceNumber long version) {
        readModel.moveTo(event.connectionIntentId(), ConnectionIntentResponse.STATUS_FAILED, at, principal, version);
    }

    @EventHandler
    void on(ConnectionIntentDeclinedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal, @SequenceNumber long version) {
        readModel.moveTo(event.connectionIntentId(), ConnectionIntentResponse.STATUS_DECLINED, at, principal,
                version);
    }

    @ResetHandler
    void reset() {
        readModel.deleteAll();
    }
}
