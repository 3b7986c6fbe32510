package com.bankaccounts.platform.operations;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.reservoir.SlidingTimeWindowReservoir;
import org.axonframework.monitoring.MessageMonitor;

/**
 * The meters of Axon's {@code MessageTimerMonitor} for one component, and for a streaming processor those of its
 * {@code MessageCountingMonitor} and {@code CapacityMonitor} too: the same names, tags, percentiles and window,
 * registered the first time a payload type is seen and kept. Axon's monitors look each of their meters up in the
 * registry for every message (four timers, five counters and a gauge, each a new meter id and tag list); a streaming
 * processor does that for every event in the store, even those it ignores: a query-side process catching up spent
 * an eighth of its CPU there (JFR).
 */
final class PayloadTypeMeters implements MessageMonitor<Message<?>> {

    /** Axon's percentiles and statistics window for its message timers. */
    private static final double[] PERCENTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};
    private static final Duration STATISTICS_EXPIRY = Duration.ofMinutes(10);

    /** A payload type's meters: Axon's timers, and a streaming processor's counters and capacity. */
    private record Meters(Timer all, Timer success, Timer failure, Timer ignored, ProcessorMeters processor) {
    }

    /** What a streaming processor counts besides the timers, and its busy time over the capacity window. */
    private record ProcessorMeters(Counter ingested, Counter success, Counter failure, Counter processed,
                                   Counter ignored, SlidingTimeWindowReservoir capacity) {
    }

    private final String prefix;
    private final MeterRegistry registry;
    private final Function<Class<?>, Iterable<Tag>> tags;
    private final Duration capacityWindow;
    private final Clock clock;
    private final ConcurrentMap<Class<?>, Meters> byPayloadType = new ConcurrentHashMap<>();
    /** Two payload types of one simple name share their meters, as they share their tags (and Axon's reservoir). */
    private final ConcurrentMap<Tags, Meters> byTags = new ConcurrentHashMap<>();

    private PayloadTypeMeters(String prefix, MeterRegistry registry, Function<Class<?>, Iterable<Tag>> tags,
                              Duration capacityWindow, Clock clock) {
        this.prefix = prefix;
        this.registry = registry;
        this.tags = tags;
        this.capacityWindow = capacityWindow;
        this.clock = clock;
    }

    /** As Axon's {@code MessageTimerMonitor}. */
    static PayloadTypeMeters timers(String prefix, MeterRegistry registry, Function<Class<?>, Iterable<Tag>> tags,
                                    Clock clock) {
        return new PayloadTypeMeters(prefix, registry, tags, null, clock);
    }

    /**
     * As Axon's {@code MessageTimerMonitor}, {@code MessageCountingMonitor} and {@code CapacityMonitor} (over
     * {@code capacityWindow}) together.
     */
    static PayloadTypeMeters streamingProcessor(String prefix, MeterRegistry registry,
                                                Function<Class<?>, Iterable<Tag>> tags, Duration capacityWindow,
                                                Clock clock) {
        return new PayloadTypeMeters(prefix, registry, tags, capacityWindow, clock);
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        Meters meters = byPayloadType.computeIfAbsent(message.getPayloadType(),
                payloadType -> byTags.computeIfAbsent(Tags.of(tags.apply(payloadType)), this::register));
        ProcessorMeters processor = meters.processor();
        if (processor != null) {
            processor.ingested().increment();
        }
        long start = clock.monotonicTime();
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                record(meters.success(), ProcessorMeters::success, true);
            }

            @Override
            public void reportFailure(Throwable cause) {
                record(meters.failure(), ProcessorMeters::failure, true);
            }

            @Override
            public void reportIgnored() {
                record(meters.ignored(), ProcessorMeters::ignored, false);
            }

            private void record(Timer outcomeTimer, Function<ProcessorMeters, Counter> outcomeCounter,
                                boolean processed) {
                long nanos = clock.monotonicTime() - start;
                meters.all().record(nanos, TimeUnit.NANOSECONDS);
                outcomeTimer.record(nanos, TimeUnit.NANOSECONDS);
                if (processor != null) {
                    outcomeCounter.apply(processor).increment();
                    if (processed) {
                        processor.processed().increment();
                    }
                    processor.capacity().update(nanos);
                }
            }
        };
    }

    private Meters register(Tags tagged) {
        ProcessorMeters processor = capacityWindow == null ? null : new ProcessorMeters(
                counter("ingestedCounter", tagged), counter("successCounter", tagged), counter("failureCounter", tagged),
                counter("processedCounter", tagged), counter("ignoredCounter", tagged), capacity(tagged));
        return new Meters(timer("allTimer", tagged), timer("successTimer", tagged), timer("failureTimer", tagged),
                timer("ignoredTimer", tagged), processor);
    }

    /** Busy time per time over the window, as Axon's {@code CapacityMonitor} gauges it. */
    private SlidingTimeWindowReservoir capacity(Iterable<Tag> tagged) {
        SlidingTimeWindowReservoir reservoir = new SlidingTimeWindowReservoir(capacityWindow.toNanos(),
                TimeUnit.NANOSECONDS, clock);
        double windowNanos = capacityWindow.toNanos();
        Gauge.builder(prefix + ".capacity", reservoir,
                        measured -> measured.getMeasurements().stream().mapToLong(Long::longValue).sum() / windowNanos)
                .tags(tagged).strongReference(true).register(registry);
        return reservoir;
    }

    private Timer timer(String name, Iterable<Tag> tagged) {
        return Timer.builder(prefix + "." + name).distributionStatisticExpiry(STATISTICS_EXPIRY)
                .publishPercentiles(PERCENTILES).tags(tagged).register(registry);
    }

    private Counter counter(String name, Iterable<Tag> tagged) {
        return registry.counter(prefix + "." + name, tagged);
    }
}
