package com.bankaccounts.platform.operations;

import java.util.Map;
import java.util.TreeMap;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Down while a streaming event processor (a read model tracked from the event store) has a segment in error: its
 * reads would be stale until it recovers, so the process should not take traffic. Subscribing processors cannot be
 * in error: their failure rolls the command back. A rebuild's processor ({@code <name>-rebuild}) is left out: the
 * live tables keep serving while it runs, and its failure shows as {@code replayError}.
 */
@Component("eventProcessors")
public class EventProcessorsHealthIndicator implements HealthIndicator {

    private final EventProcessingConfiguration processing;

    public EventProcessorsHealthIndicator(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    @Override
    public Health health() {
        Map<String, Object> inError = new TreeMap<>();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming && !name.endsWith("-rebuild")) {
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
