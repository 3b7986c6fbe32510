package com.bankaccounts.query.bankaccount;

import com.bankaccounts.api.bankaccount.BankAccountCreatedEvent;
import com.bankaccounts.api.bankaccount.BankAccountVerificationFailedEvent;
import com.bankaccounts.api.bankaccount.BankAccountVerifiedEvent;
import com.bankaccounts.api.bankaccount.DirectDebitAuthorizedEvent;
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
@ProcessingGroup(BankAccountProjection.PROCESSING_GROUP)
public class BankAccountProjection implements ReplayableProjection {

    public static final String PROCESSING_GROUP = "bank-accounts";

    private final BankAccountReadModel readModel;

    public BankAccountProjection(BankAccountReadModel readModel) {
        this.readModel = readModel;
    }

    @EventHandler
    void on(BankAccountCreatedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal, @SequenceNumber long version) {
        readModel.insert(event.bankAccountId(), event.accountId(), event.bankAccountNumber(),
                event.bankAccountName(), event.test(), at, principal, version);
    }

    @EventHandler
    void on(DirectDebitAuthorizedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal, @SequenceNumber long version) {
        readModel.markDirectDebitAuthorized(event.bankAccountId(), at, principal, version);
    }

    @EventHandler
    void on(BankAccountVerifiedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal, @SequenceNumber long version) {
        readModel.markVerified(event.bankAccountId(), at, principal, version);
    }

    @EventHandler
    void on(BankAccountVerificationFailedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal, @SequenceNumber long version) {
        readModel.recordFailedVerification(event.bankAccountId(), event.failedAttempts(), at, principal, version);
    }

    @ResetHandler
    void reset() {
        readModel.deleteAll();
    }
}
