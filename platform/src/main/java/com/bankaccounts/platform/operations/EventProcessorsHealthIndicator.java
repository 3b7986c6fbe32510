package com.bankaccounts.platform.operations;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Down while a streaming event processor (a read model tracked from the event store) has a segment in error: its
 * reads would be stale until it recovers, so the process should not take traffic. Subscribing processors cannot be
 * in error: their failure rolls the command back. A rebuild's processor ({@code <name>-rebuild}) is left out: the
 * live tables keep serving while it runs, and its failure shows as {@code replayError}. So is a processor that serves
 * no reads ({@link ServesNoReads}, the webhook fan-out): its failure delays webhooks, not answers.
 */
@Component("eventProcessors")
public class EventProcessorsHealthIndicator implements HealthIndicator {

    private final EventProcessingConfiguration processing;
    private final ObjectProvider<ServesNoReads> servingNoReads;

    public EventProcessorsHealthIndicator(EventProcessingConfiguration processing,
                                          ObjectProvider<ServesNoReads> servingNoReads) {
        this.processing = processing;
        this.servingNoReads = servingNoReads;
    }

    @Override
    public Health health() {
        Map<String, Object> inError = new TreeMap<>();
        Set<String> outside = servingNoReads.stream().map(ServesNoReads::processorName).collect(Collectors.toSet());
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming && !name.endsWith("-rebuild")
                    && !outside.contains(name)) {
                streaming.processingStatus().forEach((segment, status) -> {
                    if (status.isErrorState()) {
                        inError.put(name + "/" + segment, status.getError() == null ? "error" : status.getError().getClass().getSimpleName());
                    }
                });
            }
        });
        return inError.isEmpty() ? Health.up().build() : Health.down().withDetails(inError).build();
    }
}
