package com.bankaccounts.platform.operations;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.MetricsConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's own metrics (command handling, event processors' latency and lag, event store appends, queries) in Boot's
 * registry, so {@code /actuator/prometheus} shows them. Declared here because Axon's metrics auto-configuration
 * orders itself after Boot 3's class names: on Boot 4 it would run first and put a registry of its own in place of
 * Boot's (excluded in application.yml).
 */
@Configuration(proxyBeanMethods = false)
public class AxonMetricsConfiguration {

    @Bean
    public GlobalMetricRegistry axonMetricRegistry(MeterRegistry registry) {
        return new GlobalMetricRegistry(registry);
    }

    /** Dimensional: one meter per kind, tagged by message name or processor, as Prometheus expects. */
    @Bean
    public MetricsConfigurerModule axonMetrics(GlobalMetricRegistry axonMetricRegistry) {
        return new MetricsConfigurerModule(axonMetricRegistry, true);
    }
}
