package com.bankaccounts.platform.axon;

import java.lang.management.ManagementFactory;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import com.bankaccounts.api.common.RecordedRefusalException;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.queryhandling.LoggingQueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryBusSpanFactory;
import org.axonframework.queryhandling.QueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.jackson3.Jackson3SerializerCustomizer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import tools.jackson.databind.module.SimpleModule;

/**
 * The Axon beans that its own auto-configuration would declare on Boot 3 but does not activate on Boot 4 (DESIGN.md
 * section 5, trap 1): JDBC event store and token store over Spring's transactions. With Axon Server switched on
 * ({@code axon.axonserver.enabled}, off by default) the JDBC event store backs off and Axon's own Axon Server
 * auto-configuration, which does activate on Boot 4, puts its event store, command bus (around the command bus
 * below as its local segment) and query bus in place; the token store, registries and read models stay here.
 */
@Configuration(proxyBeanMethods = false)
public class AxonJdbcConfiguration {

    /** Metadata key under which every command carries the caller's CRN; events inherit it. */
    public static final String PRINCIPAL = "principal";
    /** Axon's switch for Axon Server; like Axon's auto-configuration, only an explicit {@code false} means off. */
    public static final String AXON_SERVER_ENABLED = "axon.axonserver.enabled";
    /** The id of the HTTP request that sent a command (X-Request-Id), inherited by its events. */
    public static final String REQUEST_ID = "requestId";

    @Bean
    public TransactionManager axonTransactionManager(PlatformTransactionManager transactionManager) {
        return new SpringTransactionManager(transactionManager);
    }

    /**
     * Spring's transaction's connection, as Spring hands it out: Axon's JDBC parts run in a Spring transaction (a
     * command's, {@link SavepointTransactionManager}; a processor's or the storage engine's own,
     * {@link #axonTransactionManager}), which ends it. Axon's
     * starter adds its unit-of-work wrapper, which on a rollback calls {@code rollback()} on that connection itself: in
     * an idempotent request's transaction that ended the enclosing transaction (its key's lock with it) before the
     * command's savepoint could be rolled back to, and the savepoint's rollback then failed.
     */
    @Bean
    public ConnectionProvider axonConnectionProvider(DataSource dataSource) {
        return new SpringDataSourceConnectionProvider(dataSource);
    }

    @Bean
    @ConditionalOnProperty(name = AXON_SERVER_ENABLED, havingValue = "false")
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return new UniqueViolationExceptionResolver();
    }

    @Bean
    @ConditionalOnProperty(name = AXON_SERVER_ENABLED, havingValue = "false")
    public EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("aggregate_type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    @Bean
    @ConditionalOnProperty(name = AXON_SERVER_ENABLED, havingValue = "false")
    public EventStorageEngine eventStorageEngine(@Qualifier("serializer") Serializer snapshotSerializer,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 PersistenceExceptionResolver persistenceExceptionResolver,
                                                 org.axonframework.config.Configuration configuration,
                                                 ConnectionProvider connectionProvider,
                                                 TransactionManager transactionManager,
                                                 EventSchema eventSchema) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(snapshotSerializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                .build();
    }

    /**
     * The event store Axon's starter would build, except that each streaming processor reads the store itself
     * instead of through one producer thread's shared cache of recent events. A processor far behind kept that
     * cache's events reachable: the webhook fan-out, catching up on a million events written in SQL, ran a 256 MB
     * heap out of memory. The assembly has one streaming processor, so the shared cache saved no reads.
     */
    @Bean
    @ConditionalOnProperty(name = AXON_SERVER_ENABLED, havingValue = "false")
    public EmbeddedEventStore eventStore(EventStorageEngine storageEngine,
                                         org.axonframework.config.Configuration configuration) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .optimizeEventConsumption(false)
                .build();
    }

    @Bean
    public TokenStore tokenStore(ConnectionProvider connectionProvider, @Qualifier("serializer") Serializer serializer) {
        // Axon's default (pid@host) is shared by every application context in one JVM, which would then hold the same
        // claims at once; one id per context keeps a segment with one owner.
        return tokenStore(connectionProvider, serializer,
                ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID());
    }

    /** The token store on {@code token_entry}, claiming as {@code nodeId}. */
    public static TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, String nodeId) {
        TokenSchema schema = TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("token_timestamp")
                .setOwnerColumn("token_owner")
                .build();
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .schema(schema)
                .serializer(serializer)
                .nodeId(nodeId)
                .build();
    }

    /**
     * Axon's tokens (a replay token's context, a multi-source token's parts) are typed by class name. Jackson 3
     * refuses such polymorphic types by default; allow Axon's own classes and ours, and nothing else. Meta data is
     * read by {@link MetaDataReader} (registered after Axon's deserializer, so Jackson asks it first).
     */
    @Bean
    public Jackson3SerializerCustomizer axonJsonMapper() {
        return builder -> builder
                .polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder()
                        .allowIfSubType("org.axonframework.")
                        .allowIfSubType("com.bankaccounts.")
                        .build())
                .addModule(new SimpleModule("bank-accounts-meta-data").addDeserializer(MetaData.class,
                        new MetaDataReader()));
    }

    /**
     * An event handler that fails fails the command: subscribing handlers write in the command's transaction, so a
     * logged-and-ignored failure would commit events without their read model, or (on PostgreSQL, whose failed
     * statement aborts the transaction) answer success for nothing stored. Streaming processors retry instead.
     */
    @Bean
    public ConfigurerModule propagateEventHandlerFailures() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultListenerInvocationErrorHandler(configuration -> PropagatingErrorHandler.INSTANCE);
    }

    /**
     * With Axon Server, a pooled streaming processor with no token yet starts at the beginning of the stream without
     * asking Axon Server where that is. Axon's default asks it for its head (a replay up to there), and a processor
     * whose first token cannot be made fails the whole start after 3 s: a new deployment starts beside Axon Server,
     * not after it. A processor's own configuration applies after this default; no handler here tells a replayed
     * event from a new one.
     */
    @Bean
    @ConditionalOnProperty(name = AXON_SERVER_ENABLED, havingValue = "true", matchIfMissing = true)
    public ConfigurerModule firstTokensWithoutAskingAxonServer() {
        return configurer -> configurer.eventProcessing().registerPooledStreamingEventProcessorConfiguration(
                (configuration, builder) -> builder.initialToken(source -> null));
    }

    @Bean
    public CorrelationDataProvider principalCorrelationDataProvider() {
        return new SimpleCorrelationDataProvider(PRINCIPAL, REQUEST_ID);
    }

    @Bean
    public CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }

    /**
     * The command bus the Axon starter would build (transactions, duplicate-handler resolver, span factory, monitor,
     * correlation data), except that a {@link RecordedRefusalException} commits the events its handler applied
     * before answering the refusal; every other unchecked exception rolls back, as by default. Inside an enclosing
     * transaction a command runs in a savepoint ({@link SavepointTransactionManager}). With Axon Server it
     * is the local segment of Axon's {@code AxonServerCommandBus}, which routes commands through Axon Server to the
     * node that handles them; the handler's database transaction (registries, read models) still commits after
     * the events' append, so an append Axon Server refuses rolls it back (see AxonServerCommitOrderTest), and its
     * failures leave it in a form that crosses Axon Server ({@link CommandRefusals}).
     */
    @Bean
    @Qualifier("localSegment")
    public CommandBus commandBus(PlatformTransactionManager transactionManager,
                                 org.axonframework.config.Configuration axonConfiguration,
                                 DuplicateCommandHandlerResolver duplicateCommandHandlerResolver,
                                 @Value("${" + AXON_SERVER_ENABLED + ":true}") boolean axonServer) {
        SimpleCommandBus commandBus = SimpleCommandBus.builder()
                .transactionManager(new SavepointTransactionManager(transactionManager))
                .duplicateCommandHandlerResolver(duplicateCommandHandlerResolver)
                .spanFactory(axonConfiguration.getComponent(CommandBusSpanFactory.class))
                .messageMonitor(axonConfiguration.messageMonitor(CommandBus.class, "commandBus"))
                .rollbackConfiguration(failure -> !(failure instanceof RecordedRefusalException)
                        && RollbackConfigurationType.UNCHECKED_EXCEPTIONS.rollBackOn(failure))
                .build();
        commandBus.registerHandlerInterceptor(
                new CorrelationDataInterceptor<>(axonConfiguration.correlationDataProviders()));
        return axonServer ? CommandRefusals.carrying(commandBus) : commandBus;
    }

    /**
     * The query bus Axon's starter would build, without a transaction of its own around each query: every handler
     * reads one row with its children, and one asked inside a transaction (a webhook body, in the command's) joins
     * that one all the same, through Spring's connection binding. Its own transaction only added a BEGIN and a
     * COMMIT to the read that answers each command. With Axon Server, Axon's query bus builds its own local segment.
     */
    @Bean
    @Qualifier("localSegment")
    @ConditionalOnProperty(name = AXON_SERVER_ENABLED, havingValue = "false")
    public SimpleQueryBus queryBus(org.axonframework.config.Configuration axonConfiguration) {
        return SimpleQueryBus.builder()
                .messageMonitor(axonConfiguration.messageMonitor(QueryBus.class, "queryBus"))
                .errorHandler(axonConfiguration.getComponent(QueryInvocationErrorHandler.class,
                        () -> LoggingQueryInvocationErrorHandler.builder().build()))
                .queryUpdateEmitter(axonConfiguration.getComponent(QueryUpdateEmitter.class))
                .spanFactory(axonConfiguration.getComponent(QueryBusSpanFactory.class))
                .build();
    }

    /**
     * Retries commands that lost a race (see {@link ConflictRetryScheduler}); commands carry their caller. With Axon
     * Server the bus is Axon's (primary) one, and refusals come back as they were thrown ({@link CommandRefusals}).
     */
    @Bean
    public CommandGateway commandGateway(CommandBus commandBus,
                                         @Value("${" + AXON_SERVER_ENABLED + ":true}") boolean axonServer) {
        ScheduledExecutorService retryExecutor = Executors.newScheduledThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "command-retry");
            thread.setDaemon(true);
            return thread;
        });
        ConflictRetryScheduler retryScheduler = new ConflictRetryScheduler(IntervalRetryScheduler.builder()
                .retryExecutor(retryExecutor)
                .maxRetryCount(5)
                .retryInterval(20));
        return DefaultCommandGateway.builder()
                .commandBus(axonServer ? CommandRefusals.restoring(commandBus) : commandBus)
                .retryScheduler(retryScheduler)
                .dispatchInterceptors(new CallerMetaDataInterceptor()).build();
    }
}
