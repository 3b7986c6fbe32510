package com.bankaccounts.platform.operations;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
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
 * no reads ({@link ServesNoReads}, the webhook fan-out): its failure delays webhooks, not answers, so it is shown in
 * the details but leaves the status up.
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
        boolean down = false;
        for (Map.Entry<String, EventProcessor> named : processing.eventProcessors().entrySet()) {
            String name = named.getKey();
            if (named.getValue() instanceof StreamingEventProcessor streaming && !name.endsWith("-rebuild")) {
                for (Map.Entry<Integer, EventTrackerStatus> segment : streaming.processingStatus().entrySet()) {
                    EventTrackerStatus status = segment.getValue();
                    if (status.isErrorState()) {
                        // Shown either way (to the admin key); only a read model's error takes the process down.
                        inError.put(name + "/" + segment.getKey(),
                                status.getError() == null ? "error" : status.getError().getClass().getSimpleName());
                        down |= !outside.contains(name);
                    }
                }
            }
        }
        return (down ? Health.down() : Health.up()).withDetails(inError).build();
    }
}
