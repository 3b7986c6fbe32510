package com.bankaccounts.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.LinkedHashMap;
import java.util.Map;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.health.contributor.Status;

class EventProcessorsHealthIndicatorTest {

    private final Map<String, EventProcessor> processors = new LinkedHashMap<>();
    private final EventProcessorsHealthIndicator indicator;

    EventProcessorsHealthIndicatorTest() {
        EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);
        when(processing.eventProcessors()).thenReturn(processors);
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("fanOut", new ServesNoReads("webhook-deliveries"));
        indicator = new EventProcessorsHealthIndicator(processing, beans.getBeanProvider(ServesNoReads.class));
    }

    @Test
    void upWhileNoTrackedReadModelIsInError() {
        processors.put("bank-accounts", streaming(false));
        processors.put("approvals", mock(SubscribingEventProcessor.class));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void downWhileASegmentOfATrackedReadModelIsInError() {
        processors.put("bank-accounts", streaming(false));
        processors.put("approvals", streaming(true));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(indicator.health().getDetails()).containsOnlyKeys("approvals/0");
    }

    @Test
    void aRebuildsFailureIsItsReplayErrorNotTheProcesssHealth() {
        processors.put("approvals-rebuild", streaming(true));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
    }

    /** The webhook fan-out waiting for an event's body: webhooks are late, but every answer is as fresh as before. */
    @Test
    void aProcessorThatServesNoReadsIsLeftOut() {
        processors.put("webhook-deliveries", streaming(true));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        assertThat(indicator.health().getDetails()).containsOnlyKeys("webhook-deliveries/0");
    }

    private static StreamingEventProcessor streaming(boolean inError) {
        StreamingEventProcessor processor = mock(StreamingEventProcessor.class);
        EventTrackerStatus status = mock(EventTrackerStatus.class);
        when(status.isErrorState()).thenReturn(inError);
        when(status.getError()).thenReturn(inError ? new IllegalStateException("boom") : null);
        when(processor.processingStatus()).thenReturn(Map.of(0, status));
        return processor;
    }
}
