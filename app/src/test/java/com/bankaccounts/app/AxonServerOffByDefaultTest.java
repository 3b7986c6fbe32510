package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/** The Axon Server connector is on the classpath, and by default nothing of it runs: all stays on PostgreSQL. */
class AxonServerOffByDefaultTest extends ApiTestSupport {

    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void eventsCommandsAndQueriesStayLocalAndOnPostgres() {
        assertThat(context.getBeanProvider(AxonServerConnectionManager.class).getIfAvailable()).isNull();
        assertThat(context.getBean(EventStore.class)).isInstanceOf(EmbeddedEventStore.class);
        assertThat(context.getBean("eventStorageEngine")).isInstanceOf(JdbcEventStorageEngine.class);
        assertThat(context.getBean(CommandBus.class)).isInstanceOf(SimpleCommandBus.class);
        assertThat(context.getBean(QueryBus.class)).isInstanceOf(SimpleQueryBus.class);
        assertThat(context.containsBean("axonServer")).isFalse();
    }
}
