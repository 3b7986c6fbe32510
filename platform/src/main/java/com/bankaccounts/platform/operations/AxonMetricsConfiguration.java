package com.bankaccounts.platform.operations;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.TagsUtil;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.springboot.EventProcessorProperties;
import org.axonframework.springboot.EventProcessorProperties.Mode;
import org.axonframework.springboot.EventProcessorProperties.ProcessorSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's own metrics (command handling, event processors' latency and lag, event store appends, queries) in Boot's
 * registry, so {@code /actuator/prometheus} shows them. Declared here because Axon's metrics auto-configuration
 * orders itself after Boot 3's class names: on Boot 4 it would run first and put a registry of its own in place of
 * Boot's (excluded in application.yml).
 * <p>
 * Dimensional (one meter per kind, tagged by message name or processor, as Prometheus expects), as Axon's
 * {@code MetricsConfigurerModule} registers them, except for subscribing processors: they run inside the command's
 * own unit of work, which {@code commandBus_*} already times, and each of them looked up four meters for every event
 * published, handled or not (a seventh of a create's CPU with a dozen of them). The command bus, query bus and event
 * store keep Axon's timers only: Axon's counters counted what the timers' {@code _count} counts (give or take
 * messages in flight), and a capacity (busy time per time) says little for a bus that many request threads share;
 * looking those meters up for every message took as much of a create's CPU as the timers (JFR: timers 2.4%, counters
 * 2.0%, capacity 2.3% of its samples). Streaming processors keep all of Axon's meters, as Axon names and tags them:
 * their capacity is their threads' saturation. Their capacity is measured over the last second, not Axon's default
 * ten minutes: Axon keeps one entry per event handled in the window, and after a catch-up or rebuild of a million
 * events in those ten minutes that was a million entries (92 MB of a 256 MB heap, a histogram showed). The timers,
 * counters and capacity are Axon's meters, registered once per payload type ({@link PayloadTypeMeters}) instead of
 * looked up for every message, and the latency is worked out when read ({@link EventLatencyGauge}).
 */
@Configuration(proxyBeanMethods = false)
public class AxonMetricsConfiguration {

    /** Axon's meter name prefix for event processors (as its {@code registerComponentWithDefaultTags} uses). */
    static final String EVENT_PROCESSOR_PREFIX = "eventProcessor";
    static final Duration CAPACITY_WINDOW = Duration.ofSeconds(1);

    @Bean
    public GlobalMetricRegistry axonMetricRegistry(MeterRegistry registry) {
        return new GlobalMetricRegistry(registry);
    }

    @Bean
    public ConfigurerModule axonMetrics(GlobalMetricRegistry axonMetricRegistry, EventProcessorProperties processors) {
        Map<String, ProcessorSettings> settings = processors.getProcessors();
        return configurer -> configurer.configureMessageMonitor(configuration -> (componentType, componentName) -> {
            if (EventProcessor.class.isAssignableFrom(componentType) && settings.containsKey(componentName)
                    && settings.get(componentName).getMode() == Mode.SUBSCRIBING) {
                return NoOpMessageMonitor.instance();
            }
            if (CommandBus.class.isAssignableFrom(componentType) || QueryBus.class.isAssignableFrom(componentType)
                    || EventBus.class.isAssignableFrom(componentType)) {
                return busMonitor(componentName, axonMetricRegistry.getRegistry(), Clock.SYSTEM);
            }
            if (EventProcessor.class.isAssignableFrom(componentType)) {
                return streamingProcessorMonitor(componentName, axonMetricRegistry.getRegistry(), Clock.SYSTEM);
            }
            @SuppressWarnings("unchecked") // as Axon's own registration does: each monitor takes its component's messages
            MessageMonitor<Message<?>> monitor = (MessageMonitor<Message<?>>)
                    axonMetricRegistry.registerComponentWithDefaultTags(componentType, componentName);
            return monitor;
        });
    }

    /** As Axon's {@code TagsUtil.PAYLOAD_TYPE_TAGGER_FUNCTION} tags a message. */
    private static Tags payloadTypeTag(Class<?> payloadType) {
        return Tags.of(TagsUtil.PAYLOAD_TYPE_TAG, payloadType.getSimpleName());
    }

    /** Axon's timers for a bus, tagged by payload type as {@code MessageTimerMonitor} tags them. */
    static MessageMonitor<Message<?>> busMonitor(String bus, MeterRegistry registry, Clock clock) {
        return PayloadTypeMeters.timers(bus, registry, AxonMetricsConfiguration::payloadTypeTag, clock);
    }

    /**
     * Axon's meters for a streaming processor, named and tagged as {@code GlobalMetricRegistry} registers them, with
     * a short capacity window.
     */
    @SuppressWarnings("unchecked") // as Axon's own registration does: a processor's monitor takes its events only
    static MessageMonitor<Message<?>> streamingProcessorMonitor(String processor, MeterRegistry registry, Clock clock) {
        Function<Class<?>, Iterable<Tag>> byPayloadType =
                payloadType -> payloadTypeTag(payloadType).and(TagsUtil.PROCESSOR_NAME_TAG, processor);
        MessageMonitor<?> monitor = new MultiMessageMonitor<EventMessage<?>>(List.of(
                PayloadTypeMeters.streamingProcessor(EVENT_PROCESSOR_PREFIX, registry, byPayloadType, CAPACITY_WINDOW,
                        clock),
                new EventLatencyGauge(EVENT_PROCESSOR_PREFIX, registry, Tags.of(TagsUtil.PROCESSOR_NAME_TAG, processor),
                        clock)));
        return (MessageMonitor<Message<?>>) monitor;
    }
}
