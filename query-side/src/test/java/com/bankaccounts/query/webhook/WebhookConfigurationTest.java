package com.bankaccounts.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.bankaccounts.api.webhook.WebhookEventType.Resource;
import com.bankaccounts.query.bankaccount.BankAccountProjection;
import java.util.Optional;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.junit.jupiter.api.Test;

/** When a missing webhook row means "nobody was listening", and when it means "not committed yet". */
class WebhookConfigurationTest {

    private final EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);

    @Test
    void aSubscribingReadModelRecordsInTheEventsOwnTransactionOnlyOnPostgresqlsEventStore() {
        when(processing.eventProcessor(BankAccountProjection.PROCESSING_GROUP, SubscribingEventProcessor.class))
                .thenReturn(Optional.of(mock(SubscribingEventProcessor.class)));

        assertThat(WebhookConfiguration.recordedInCommandTransaction(processing, Resource.BANK_ACCOUNT, false))
                .isTrue();
        // Axon Server appends before the database commits: the fan-out may meet the event before its row.
        assertThat(WebhookConfiguration.recordedInCommandTransaction(processing, Resource.BANK_ACCOUNT, true))
                .isFalse();
    }

    @Test
    void aTrackingReadModelNeverDoes() {
        when(processing.eventProcessor(BankAccountProjection.PROCESSING_GROUP, SubscribingEventProcessor.class))
                .thenReturn(Optional.empty());

        assertThat(WebhookConfiguration.recordedInCommandTransaction(processing, Resource.BANK_ACCOUNT, false))
                .isFalse();
    }
}
