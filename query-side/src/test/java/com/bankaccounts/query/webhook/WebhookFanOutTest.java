package com.bankaccounts.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bankaccounts.api.bankaccount.BankAccountCreatedEvent;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.query.ReadModelDatabase;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;

/** The fan-out on PostgreSQL, taking an event later than it was recorded, as a lagging processor does. */
class WebhookFanOutTest {

    private final WebhookDeliveries deliveries = new WebhookDeliveries(ReadModelDatabase.jdbc());
    private final WebhookEndpointReadModel endpoints = new WebhookEndpointReadModel(ReadModelDatabase.jdbc());
    // Every event here is recorded, so the processing configuration (asked only of unrecorded ones) is not needed.
    private final WebhookFanOut fanOut = new WebhookFanOut(deliveries, endpoints, null, false);

    private String endpoint(String accountId) {
        String id = Ids.newId();
        endpoints.insert(id, accountId, "https://example.org/" + id, null, null, true, "v1:a", Instant.now(), "test",
                0);
        return id;
    }

    private List<String> deliveredTo(String eventId) {
        return ReadModelDatabase.jdbc().sql("SELECT endpoint_id FROM webhook_delivery WHERE event_id = ?")
                .param(eventId).query(String.class).list();
    }

    private void fanOut(String eventId, String accountId) {
        fanOut(fanOut, eventId, accountId);
    }

    private static void fanOut(WebhookFanOut fanOut, String eventId, String accountId) {
        EventMessage<BankAccountCreatedEvent> event = new GenericEventMessage<>(new GenericMessage<>(eventId,
                new BankAccountCreatedEvent(Ids.newId(), accountId, "12-1234-1234567-123", "Jo", true),
                MetaData.emptyInstance()), Instant::now);
        DefaultUnitOfWork.startAndGet(event).execute(() -> fanOut.on(event, CurrentUnitOfWork.get()));
    }

    /**
     * With Axon Server the fan-out can take an event before the command's transaction has recorded it: it looks again
     * for a moment rather than failing its batch at once. Failing put its segment (every account's webhooks) back for
     * a second or more, and took the process out of readiness.
     */
    @Test
    void anEventRecordedAMomentAfterTheFanOutTookItIsDeliveredWithoutFailing() throws Exception {
        WebhookFanOut beforeTheRecord = new WebhookFanOut(deliveries, endpoints, null, true);
        String accountId = Ids.newId();
        String endpointId = endpoint(accountId);
        String eventId = Ids.newId();
        CompletableFuture<Void> recording = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            deliveries.recordEvent(eventId, "bank-account.created", accountId, Instant.now(), "v1:body",
                    List.of(endpointId));
        });

        fanOut(beforeTheRecord, eventId, accountId);
        recording.join();
        assertThat(deliveredTo(eventId)).containsExactly(endpointId);
    }

    @Test
    void anEventStillNotRecordedFailsTheBatchSoThatItIsTriedAgain() {
        WebhookFanOut beforeTheRecord = new WebhookFanOut(deliveries, endpoints, null, true);
        String accountId = Ids.newId();
        endpoint(accountId);

        assertThatThrownBy(() -> fanOut(beforeTheRecord, Ids.newId(), accountId))
                .hasMessageContaining("not recorded yet");
    }

    @Test
    void anEventGoesToTheEndpointsItWasRecordedForNotToOnesCreatedSince() {
        String accountId = Ids.newId();
        String first = endpoint(accountId);
        String eventId = Ids.newId();
        deliveries.recordEvent(eventId, "bank-account.created", accountId, Instant.now(), "v1:body", List.of(first));
        String later = endpoint(accountId);

        fanOut(eventId, accountId);
        assertThat(deliveredTo(eventId)).containsExactly(first);

        // A row of the release before V29 holds no endpoints: every enabled one, as then.
        String older = Ids.newId();
        ReadModelDatabase.jdbc().sql("INSERT INTO webhook_event (event_id, type, account_id, created_at, body)"
                + " VALUES (?, 'bank-account.created', ?, now(), 'v1:body')").params(older, accountId).update();
        fanOut(older, accountId);
        assertThat(deliveredTo(older)).containsExactlyInAnyOrder(first, later);
    }
}
