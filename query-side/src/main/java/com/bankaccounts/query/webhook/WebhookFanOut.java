package com.bankaccounts.query.webhook;

import com.bankaccounts.api.webhook.WebhookEventType;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import com.bankaccounts.query.webhook.WebhookDeliveries.RecordedType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Turns each recorded webhook event into one delivery per enabled endpoint of its account that takes its type, among
 * those it was recorded for (not every endpoint there is when the fan-out takes it, which may be minutes later). A
 * pooled streaming processor whose token is in the token store, so every event is taken once its transaction has
 * committed, on whichever node holds the segment, across restarts (at least once; deliveries are unique per event and
 * endpoint, so taking an event twice adds nothing).
 */
@Component
@ProcessingGroup(WebhookFanOut.PROCESSING_GROUP)
public class WebhookFanOut {

    public static final String PROCESSING_GROUP = "webhook-deliveries";

    /** How long to wait for a read model that tracks the store on its own to record an event's body. */
    private static final Duration RECORDING_WAIT = Duration.ofMinutes(5);
    /**
     * How long the handler itself looks for bodies before failing the batch, over the whole batch (its transaction,
     * and its claim on the segment, are held meanwhile). Usually the record is milliseconds behind (with Axon Server,
     * the event is in its stream before the command's transaction commits); a failed batch waits for its segment to be
     * claimed again, at least a second and more after each failure.
     */
    static final Duration SHORT_WAIT = Duration.ofSeconds(2);
    private static final Duration LOOK_AGAIN = Duration.ofMillis(20);

    private static final Logger log = LoggerFactory.getLogger(WebhookFanOut.class);
    private static final String RECORDED_IN_BATCH = WebhookFanOut.class.getName() + ".recordedInBatch";
    private static final String WAIT_DEADLINE = WebhookFanOut.class.getName() + ".waitDeadline";

    private final WebhookDeliveries deliveries;
    private final WebhookEndpointReadModel endpoints;
    private final EventProcessingConfiguration processing;
    private final boolean axonServer;

    public WebhookFanOut(WebhookDeliveries deliveries, WebhookEndpointReadModel endpoints,
                         @Lazy EventProcessingConfiguration processing,
                         @Value("${" + AxonJdbcConfiguration.AXON_SERVER_ENABLED + ":true}") boolean axonServer) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.processing = processing;
        this.axonServer = axonServer;
    }

    /**
     * Takes the message, not its payload: its type, id and time are all it needs, so no event is deserialized. The
     * batch's recorded events are read with its first webhook event, in one statement
     * ({@link WebhookDeliveries#findEventTypes}) rather than one per event.
     */
    @EventHandler
    void on(EventMessage<?> event, UnitOfWork<?> unitOfWork) {
        String eventId = event.getIdentifier();
        Optional<WebhookEventType> type = WebhookEventType.of(event.getPayloadType());
        if (type.isEmpty()) {
            return;
        }
        RecordedType recorded = recordedInBatch(unitOfWork, eventId).get(eventId);
        if (recorded == null) {
            // In the command's transaction no body means nobody was listening. Otherwise, with no endpoint anywhere
            // there is nothing to deliver, so nothing to wait or warn for (events stored without passing through this
            // service, such as an import, stay cheap).
            if (WebhookConfiguration.recordedInCommandTransaction(processing, type.get().resource(), axonServer)
                    || !endpoints.anyEnabled()) {
                return;
            }
            recorded = awaitRecording(unitOfWork, type.get(), eventId, event.getTimestamp());
            if (recorded == null) {
                return;
            }
        }
        if (!recorded.hasBody()) {
            return; // nobody was listening when it was recorded
        }
        for (String endpointId : endpoints.enabledReceiving(recorded.accountId(), recorded.type(),
                recorded.endpoints())) {
            deliveries.addDelivery(endpointId, eventId, recorded.type());
        }
    }

    /**
     * The recorded events of the batch {@code eventId} is in, read once per batch (kept in its unit of work, so a
     * batch tried again reads them again).
     */
    private Map<String, RecordedType> recordedInBatch(UnitOfWork<?> unitOfWork, String eventId) {
        return unitOfWork.root().getOrComputeResource(RECORDED_IN_BATCH, key -> {
            // Every event of the batch: those of no webhook type are simply not found.
            List<String> ids = unitOfWork.root() instanceof BatchingUnitOfWork<?> batch
                    ? batch.getMessages().stream().map(Message::getIdentifier).toList()
                    : List.of(eventId);
            return deliveries.findEventTypes(ids);
        });
    }

    /**
     * No record from a read model that tracks the store on its own: it may not have reached the event yet. Looks again
     * until the batch has waited {@link #SHORT_WAIT} in all (each statement of the batch's transaction sees what has
     * committed since), then fails, so that this processor tries again later, for a while; null for an event too old
     * to wait for any longer.
     */
    private RecordedType awaitRecording(UnitOfWork<?> unitOfWork, WebhookEventType type, String eventId, Instant at) {
        if (at.isBefore(Instant.now().minus(RECORDING_WAIT))) {
            log.warn("webhook event {} ({}) has no recorded body; no deliveries for it", eventId, type.value());
            return null;
        }
        long deadline = unitOfWork.root().getOrComputeResource(WAIT_DEADLINE,
                key -> System.nanoTime() + SHORT_WAIT.toNanos());
        while (System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(LOOK_AGAIN.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            // The whole batch again: the events after this one were likely recorded in the meantime too.
            unitOfWork.root().resources().remove(RECORDED_IN_BATCH);
            RecordedType recorded = recordedInBatch(unitOfWork, eventId).get(eventId);
            if (recorded != null) {
                return recorded;
            }
        }
        throw new IllegalStateException("webhook event " + eventId + " not recorded yet: "
                + WebhookConfiguration.readModelOf(type.resource()) + " has not taken it");
    }
}
