package com.bankaccounts.platform.operations;

import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import java.util.Set;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Axon Server switched on, readiness also needs its connection: without it no command, query or event store
 * read gets through. Axon's own indicator is built on Boot 3's health classes (its auto-configuration does not
 * activate on Boot 4), so this one is declared here; it joins the readiness group only in this mode, since the group
 * may not name a contributor that does not exist.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = AxonJdbcConfiguration.AXON_SERVER_ENABLED, havingValue = "true", matchIfMissing = true)
public class AxonServerHealthConfiguration {

    static final String NAME = "axonServer";

    /** Down until the connection to the default context is established, and whenever it is lost. */
    @Bean(NAME)
    public HealthIndicator axonServerHealthIndicator(AxonServerConnectionManager connections) {
        return () -> {
            String context = connections.getDefaultContext();
            Health.Builder health = connections.isConnected(context) ? Health.up() : Health.down();
            return health.withDetail("context", context).build();
        };
    }

    @Bean
    public HealthEndpointGroupsPostProcessor axonServerInReadiness() {
        return groups -> new WithMember(groups, "readiness", NAME);
    }

    /** The groups as configured, with one more member in one of them. */
    private record WithMember(HealthEndpointGroups groups, String groupName, String member)
            implements HealthEndpointGroups {

        @Override
        public HealthEndpointGroup getPrimary() {
            return groups.getPrimary();
        }

        @Override
        public Set<String> getNames() {
            return groups.getNames();
        }

        @Override
        public HealthEndpointGroup get(String name) {
            HealthEndpointGroup group = groups.get(name);
            return group == null || !name.equals(groupName) ? group : new GroupWithMember(group, member);
        }
    }

    private record GroupWithMember(HealthEndpointGroup group, String member) implements HealthEndpointGroup {

        @Override
        public boolean isMember(String name) {
            return member.equals(name) || group.isMember(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return group.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return group.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return group.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return group.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return group.getAdditionalPath();
        }
    }
}
