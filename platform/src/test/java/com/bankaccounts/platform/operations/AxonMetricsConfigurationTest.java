package com.bankaccounts.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MetaData;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.MessageTimerMonitor;
import org.axonframework.micrometer.TagsUtil;
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

        for (MessageMonitor<Message<?>> monitor : List.of(axonsMonitor, ours)) {
            monitor.onMessageIngested(GenericEventMessage.asEventMessage("e")).reportSuccess();
            monitor.onMessageIngested(GenericEventMessage.asEventMessage("e")).reportSuccess();
            monitor.onMessageIngested(GenericEventMessage.asEventMessage(1L)).reportIgnored();
            monitor.onMessageIngested(GenericEventMessage.asEventMessage(2L)).reportFailure(new IllegalStateException());
        }

        assertThat(meters(registry)).isNotEmpty().isEqualTo(meters(axons));
    }

    @Test
    void aStreamingProcessorsLatencyIsHowOldItsLastEventWasWhenTaken() {
        MessageMonitor<Message<?>> monitor = AxonMetricsConfiguration.streamingProcessorMonitor("p", registry, clock);
        Instant stored = Instant.ofEpochMilli(clock.wallTime()).minusMillis(250);
        // None before its first event, as Axon's: 0 would read as "not behind".
        assertThat(registry.find("eventProcessor.latency").gauge()).isNull();

        monitor.onMessageIngested(new GenericEventMessage<>("e1", "e", MetaData.emptyInstance(), stored))
                .reportIgnored();
        clock.add(5, TimeUnit.SECONDS);

        assertThat(registry.get("eventProcessor.latency").tag("processorName", "p").gauge().value()).isEqualTo(250.0);
    }

    @Test
    void payloadTypesOfOneSimpleNameShareTheirMeters() {
        MessageMonitor<Message<?>> monitor = AxonMetricsConfiguration.streamingProcessorMonitor("p", registry, clock);

        MessageMonitor.MonitorCallback first = monitor.onMessageIngested(
                GenericEventMessage.asEventMessage(new First.Created()));
        MessageMonitor.MonitorCallback second = monitor.onMessageIngested(
                GenericEventMessage.asEventMessage(new Second.Created()));
        clock.add(250, TimeUnit.MILLISECONDS);
        first.reportSuccess();
        second.reportSuccess();

        assertThat(registry.get("eventProcessor.capacity").tag("payloadType", "Created").gauge().value())
                .isCloseTo(0.5, within(0.01));
        assertThat(registry.get("eventProcessor.successCounter").tag("payloadType", "Created").counter().count())
                .isEqualTo(2.0);
    }

    private static final class First {
        record Created() {
        }
    }

    private static final class Second {
        record Created() {
        }
    }

    @Test
    void theBusesKeepTheTimersAxonGivesThem() {
        SimpleMeterRegistry axons = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        MessageMonitor<Message<?>> axonsMonitor = MessageTimerMonitor.buildMonitor("commandBus", axons, clock,
                TagsUtil.PAYLOAD_TYPE_TAGGER_FUNCTION);
        MessageMonitor<Message<?>> ours = AxonMetricsConfiguration.busMonitor("commandBus", registry, clock);

        for (MessageMonitor<Message<?>> monitor : List.of(axonsMonitor, ours)) {
            MessageMonitor.MonitorCallback handling = monitor.onMessageIngested(GenericCommandMessage.asCommandMessage("c"));
            clock.add(3, TimeUnit.MILLISECONDS);
            handling.reportSuccess();
            monitor.onMessageIngested(GenericCommandMessage.asCommandMessage(1L)).reportFailure(new IllegalStateException());
        }

        assertThat(meters(registry)).isNotEmpty().isEqualTo(meters(axons));
        for (SimpleMeterRegistry each : List.of(registry, axons)) {
            assertThat(each.get("commandBus.successTimer").tag("payloadType", "String").timer()
                    .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3.0);
        }
    }

    private double capacity() {
        return registry.get("eventProcessor.capacity").tag("processorName", "p").gauge().value();
    }

    /** Each meter's id and how many it has counted or timed so far. */
    private static Set<String> meters(SimpleMeterRegistry registry) {
        return registry.getMeters().stream()
                .map(meter -> meter.getId().getName() + meter.getId().getTags() + meter.getId().getType()
                        + (meter instanceof Counter counter ? " count " + counter.count() : "")
                        + (meter instanceof Timer timer ? " count " + timer.count() : ""))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
