package com.bankaccounts.query.webhook;

import com.bankaccounts.api.webhook.WebhookEventType.Resource;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import com.bankaccounts.platform.axon.WakeableScheduler;
import com.bankaccounts.platform.operations.ServesNoReads;
import com.bankaccounts.query.approval.ApprovalProjection;
import com.bankaccounts.query.bankaccount.BankAccountProjection;
import com.bankaccounts.query.connectionintent.ConnectionIntentProjection;
import com.bankaccounts.query.fundstransfer.FundsTransferProjection;
import java.util.Map;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfigurer.PooledStreamingProcessorConfiguration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
public class WebhookConfiguration {

    /** The read-model processor that shows each resource, whose GET answer a webhook carries. */
    private static final Map<String, Resource> READ_MODELS = Map.of(
            BankAccountProjection.PROCESSING_GROUP, Resource.BANK_ACCOUNT,
            FundsTransferProjection.PROCESSING_GROUP, Resource.FUNDS_TRANSFER,
            ApprovalProjection.PROCESSING_GROUP, Resource.APPROVAL,
            ConnectionIntentProjection.PROCESSING_GROUP, Resource.CONNECTION_INTENT);

    static String readModelOf(Resource resource) {
        return READ_MODELS.entrySet().stream().filter(entry -> entry.getValue() == resource).findFirst()
                .orElseThrow().getKey();
    }

    /**
     * Whether the resource's read model takes events in the transaction that stores them (subscribing, as in the
     * assembly, on PostgreSQL's event store): then a webhook body is written with its event or never. With Axon
     * Server the event is appended first and the database commits after it, so the fan-out, following Axon Server's
     * stream, can meet an event whose row is not committed yet: it must wait for the row, as for a read model that
     * tracks the store on its own.
     */
    static boolean recordedInCommandTransaction(EventProcessingConfiguration processing, Resource resource,
                                                boolean axonServer) {
        return !axonServer
                && processing.eventProcessor(readModelOf(resource), SubscribingEventProcessor.class).isPresent();
    }

    /**
     * Around each read model's processor, after its handlers have taken an event: the webhook body of that event
     * (WebhookEventRecorder), and a handler that has the processor take every webhook type of its resource
     * (WebhookRecordingTrigger). Around the processor itself, so only that processor's own events pass, in its
     * transaction. The fan-out processor starts at the head of PostgreSQL's event store when it first runs: older
     * events have no body. Axon Server's store belongs to a new deployment, so its events all passed through here:
     * there it starts at the beginning, as every pooled processor does with Axon Server
     * ({@code AxonJdbcConfiguration.firstTokensWithoutAskingAxonServer}).
     */
    @Bean
    public ConfigurerModule webhookProcessing(ObjectProvider<WebhookEventRecorder> recorder,
                                              @Value("${" + AxonJdbcConfiguration.AXON_SERVER_ENABLED + ":true}")
                                              boolean axonServer) {
        return configurer -> {
            READ_MODELS.forEach((processor, resource) -> {
                WebhookRecordingTrigger trigger = new WebhookRecordingTrigger(resource);
                configurer.eventProcessing()
                        .registerEventHandler(configuration -> trigger)
                        .assignHandlerInstancesMatching(processor, trigger::equals)
                        .registerHandlerInterceptor(processor, configuration -> recordAfter(recorder, resource));
            });
            // Its segments and batch size are properties (application.yml): Axon's Spring Boot configuration
            // applies them after this, so set here they would be overridden by the defaults (16 and 1).
            // Its coordinator woken as each batch starts (WakeableScheduler): catching up, it would otherwise wait
            // 100 ms each time its queue is full.
            String fanOutProcessor = WebhookFanOut.PROCESSING_GROUP;
            PooledStreamingProcessorConfiguration fanOut = WakeableScheduler.wokenByBatches(fanOutProcessor);
            configurer.eventProcessing().registerPooledStreamingEventProcessorConfiguration(fanOutProcessor,
                    axonServer ? fanOut : fanOut.andThen((configuration, builder) ->
                            builder.initialToken(StreamableMessageSource::createHeadToken)));
        };
    }

    /** The fan-out waiting for a body delays webhooks; no answer of this process is staler for it. */
    @Bean
    public ServesNoReads webhookFanOutServesNoReads() {
        return new ServesNoReads(WebhookFanOut.PROCESSING_GROUP);
    }

    private static MessageHandlerInterceptor<EventMessage<?>> recordAfter(ObjectProvider<WebhookEventRecorder> recorder,
                                                                         Resource resource) {
        return (unitOfWork, chain) -> {
            Object result = chain.proceed();
            recorder.getObject().recordIfWebhook(unitOfWork.getMessage(), resource);
            return result;
        };
    }
}
