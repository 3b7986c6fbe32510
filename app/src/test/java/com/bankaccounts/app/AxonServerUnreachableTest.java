package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import org.axonframework.axonserver.connector.command.AxonServerCommandBus;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.axonserver.connector.query.AxonServerQueryBus;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryBus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

/**
 * Axon Server switched on the way an operator does it (AXON_AXONSERVER_ENABLED, AXON_AXONSERVER_SERVERS), pointing at
 * a port where nothing listens: the server starts, with Axon Server's event store, command bus and query bus in
 * place of the JDBC ones, and is alive but not ready. Closed after: it shares this run's database, where its rebuild
 * ticker would otherwise take part in other tests' rebuilds, reading from an Axon Server that is not there.
 */
@DirtiesContext
@ContextConfiguration(initializers = AxonServerUnreachableTest.AxonServerEnvironment.class)
class AxonServerUnreachableTest extends ApiTestSupport {

    /** The two variables as the process environment would give them, ahead of application.yml. */
    static class AxonServerEnvironment implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                    "axon-server-test-systemEnvironment", Map.of("AXON_AXONSERVER_ENABLED", "true",
                    "AXON_AXONSERVER_SERVERS", "127.0.0.1:" + closedPort())));
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Autowired
    ApplicationContext context;

    @Test
    void eventsCommandsAndQueriesGoThroughAxonServer() {
        assertThat(context.getBean(EventStore.class)).isInstanceOf(AxonServerEventStore.class);
        assertThat(context.getBeanProvider(EventStorageEngine.class).getIfAvailable()).isNull();
        assertThat(context.getBean(CommandBus.class)).isInstanceOf(AxonServerCommandBus.class);
        assertThat(context.getBean(QueryBus.class)).isInstanceOf(AxonServerQueryBus.class);
        assertThat(context.getBean(CommandGateway.class)).isNotNull();
    }

    @Test
    void aliveButNotReadyWhileAxonServerIsUnreachable() {
        assertThat(api.get("/actuator/health/liveness", null).body()).isEqualTo("{\"status\":\"UP\"}");
        Response readiness = api.get("/actuator/health/readiness", null);
        assertThat(readiness.status()).isEqualTo(503);
        assertThat(readiness.body()).isEqualTo("{\"status\":\"DOWN\"}");

        Response detailed = api.get("/actuator/health/readiness", ADMIN_KEY);
        assertThat(detailed.json().at("/components/axonServer/status").asString()).isEqualTo("DOWN");
        assertThat(detailed.json().at("/components/db/status").asString()).isEqualTo("UP");
    }

    @Test
    void aCommandWhileAxonServerIsUnreachableAnswers503() {
        Response created = createBankAccount(newAccount(true), uniqueTestNumber());
        assertRefused(created, 503, "SERVICE_UNAVAILABLE");
    }
}
