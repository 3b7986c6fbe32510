package com.bankaccounts.platform.operations;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitorCallback;

/**
 * Axon's {@code EventProcessorLatencyMonitor}'s gauge ({@code <prefix>.latency}: how old, in milliseconds, the last
 * event a processor took was when it took it), worked out when the gauge is read rather than for every event. Axon's
 * parses each event's stored time stamp as the processor takes it and looks its gauge up in the registry, for every
 * event a processor reads, those it ignores too: 8% of a query-side process's samples while it caught up (JFR).
 */
final class EventLatencyGauge implements MessageMonitor<EventMessage<?>> {

    private record Taken(EventMessage<?> event, long atMillis) {
    }

    private final Clock clock;
    private final Gauge.Builder<EventLatencyGauge> gauge;
    private final MeterRegistry registry;
    private final AtomicReference<Taken> last = new AtomicReference<>();

    EventLatencyGauge(String prefix, MeterRegistry registry, Iterable<Tag> tags, Clock clock) {
        this.clock = clock;
        this.registry = registry;
        this.gauge = Gauge.builder(prefix + ".latency", this, EventLatencyGauge::millis).tags(tags)
                .strongReference(true);
    }

    @Override
    public MonitorCallback onMessageIngested(EventMessage<?> message) {
        // Registered with the first event, as Axon's: a processor that has taken none shows no latency, not 0.
        if (last.getAndSet(new Taken(message, clock.wallTime())) == null) {
            gauge.register(registry);
        }
        return NoOpMessageMonitorCallback.INSTANCE;
    }

    /** Only registered once an event was taken. */
    private double millis() {
        Taken taken = last.get();
        return taken.atMillis() - taken.event().getTimestamp().toEpochMilli();
    }
}
