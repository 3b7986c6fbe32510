package com.bankaccounts.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.monitoring.MessageMonitor;
import org.junit.jupiter.api.Test;

class AxonMetricsConfigurationTest {

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);

    @Test
    void aStreamingProcessorsCapacityCoversTheLastSecondOnly() {
        MessageMonitor<Message<?>> monitor = AxonMetricsConfiguration.streamingProcessorMonitor("p", registry, clock);

        MessageMonitor.MonitorCallback handling = monitor.onMessageIngested(GenericEventMessage.asEventMessage("e"));
        clock.add(500, TimeUnit.MILLISECONDS);
        handling.reportSuccess();

        // Busy half of the last second; over Axon's default ten minutes this would read 0.0008.
        assertThat(capacity()).isCloseTo(0.5, within(0.01));
        clock.add(2, TimeUnit.SECONDS);
        assertThat(capacity()).isZero();
    }

    @Test
    void aStreamingProcessorKeepsTheMetersAxonGivesIt() {
        SimpleMeterRegistry axons = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        @SuppressWarnings("unchecked")
        MessageMonitor<Message<?>> axonsMonitor = (MessageMonitor<Message<?>>) new GlobalMetricRegistry(axons)
                .registerComponentWithDefaultTags(PooledStreamingEventProcessor.class, "p");
        MessageMonitor<Message<?>> ours = AxonMetricsConfiguration.streamingProcessorMonitor("p", registry, clock);

        axonsMonitor.onMessageIngested(GenericEventMessage.asEventMessage("e")).reportSuccess();
        ours.onMessageIngested(GenericEventMessage.asEventMessage("e")).reportSuccess();

        assertThat(meters(registry)).isNotEmpty().isEqualTo(meters(axons));
    }

    private double capacity() {
        return registry.get("eventProcessor.capacity").tag("processorName", "p").gauge().value();
    }

    private static Set<String> meters(SimpleMeterRegistry registry) {
        return registry.getMeters().stream().map(Meter::getId)
                .map(id -> id.getName() + id.getTags() + id.getType())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
