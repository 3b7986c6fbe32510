package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import com.bankaccounts.platform.testing.PostgresTestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import org.axonframework.axonserver.connector.command.AxonServerCommandBus;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
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
 * place of the JDBC ones, and is alive but not ready. On a database of its own, empty, as a new deployment's first
 * start is (compose starts the server beside Axon Server, not after it): no processor has a token yet, and none may
 * need Axon Server to make its first one. Closed after: its rebuild ticker would otherwise keep trying Axon Server.
 */
@DirtiesContext
@ContextConfiguration(initializers = AxonServerUnreachableTest.FirstStartWithAxonServer.class,
        inheritInitializers = false)
class AxonServerUnreachableTest extends ApiTestSupport {

    /** A new database, and the two variables as the process environment would give them, ahead of application.yml. */
    static class FirstStartWithAxonServer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            PostgresTestDatabase.pointAt(context, PostgresTestDatabase.newDatabase());
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

    /**
     * A query this process has handlers for is answered by them, on the caller's thread, in its transaction (a
     * webhook body is read inside its command's): not sent through Axon Server, reachable or not.
     */
    @Test
    void aQueryIsAnsweredByThisProcesssOwnHandlers() {
        assertThat(context.getBean(AxonServerConfiguration.class).isShortcutQueriesToLocalHandlers()).isTrue();
        TestAccount account = newAccount(true);
        assertRefused(api.get("/api/bank-accounts/WRhAxxWpTKb5U7pXyxQjjY", account.key()), 404,
                "BANK_ACCOUNT_NOT_FOUND");
    }

    @Test
    void aCommandWhileAxonServerIsUnreachableAnswers503() {
        Response created = createBankAccount(newAccount(true), uniqueTestNumber());
        assertRefused(created, 503, "SERVICE_UNAVAILABLE");
    }

    @Test
    void aQuerySideProcessStartsAliveButNotReadyToo() {
        try (ConfigurableApplicationContext querySide = startQuerySideProcess(new FirstStartWithAxonServer())) {
            ApiClient queryNode = clientOf(querySide);
            assertThat(queryNode.get("/actuator/health/liveness", null).body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(queryNode.get("/actuator/health/readiness", null).status()).isEqualTo(503);
        }
    }
}
