package com.bankaccounts.query.webhook;

import com.bankaccounts.api.approval.ApprovalResponse;
import com.bankaccounts.api.approval.FindApprovalQuery;
import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.bankaccount.FindBankAccountQuery;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.FindConnectionIntentQuery;
import com.bankaccounts.api.fundstransfer.FindFundsTransferQuery;
import com.bankaccounts.api.fundstransfer.FundsTransferResponse;
import com.bankaccounts.api.webhook.WebhookEventType;
import com.bankaccounts.api.webhook.WebhookEventType.Resource;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import com.bankaccounts.platform.crypto.TokenCipher;
import com.bankaccounts.query.webhook.WebhookEndpointReadModel.Owner;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a webhook's body for each event a webhook can carry, right after the resource's read model has taken that
 * event, in the same transaction: {@code data} is the resource as its GET answers at that event's version (an
 * approval without its refresh token), even when one command appends several events to it. It runs as a handler
 * interceptor around the read model's own processor (see {@link WebhookConfiguration}), so no ordering between
 * processors is relied on; a rebuild of the read model runs without it and records nothing again. Only the events
 * of accounts with an enabled endpoint get a body. In the command's transaction the others are not recorded at all;
 * a read model tracking the store on its own records each of them without a body, since the fan-out waits for every
 * event to be recorded.
 */
@Component
public class WebhookEventRecorder {

    private final QueryGateway queries;
    private final WebhookDeliveries deliveries;
    private final JsonMapper json;
    private final TokenCipher cipher;
    private final WebhookEndpointReadModel endpoints;
    private final EventProcessingConfiguration processing;
    private final boolean axonServer;

    public WebhookEventRecorder(QueryGateway queries, WebhookDeliveries deliveries, JsonMapper json,
                                TokenCipher cipher, WebhookEndpointReadModel endpoints,
                                @Lazy EventProcessingConfiguration processing,
                                @Value("${" + AxonJdbcConfiguration.AXON_SERVER_ENABLED + ":true}") boolean axonServer) {
        this.queries = queries;
        this.deliveries = deliveries;
        this.json = json;
        this.cipher = cipher;
        this.endpoints = endpoints;
        this.processing = processing;
        this.axonServer = axonServer;
    }

    /** Records the event if it is one of the resource's webhook types; the read model has just taken it. */
    void recordIfWebhook(EventMessage<?> event, Resource resource) {
        WebhookEventType type = WebhookEventType.of(event.getPayloadType()).orElse(null);
        if (type == null || type.resource() != resource || !(event instanceof DomainEventMessage<?> domainEvent)) {
            return;
        }
        String resourceId = domainEvent.getAggregateIdentifier();
        // In the command's transaction the endpoints are those committed before it; a read model tracking the store
        // on its own records later, so there the endpoints are those created by the event's time (by the clocks of
        // the nodes that made them).
        boolean inCommand = WebhookConfiguration.recordedInCommandTransaction(processing, resource, axonServer);
        Optional<Owner> owner = endpoints.ownerOf(resource, resourceId, inCommand ? null : event.getTimestamp());
        if (owner.isEmpty() || !owner.get().listening()) {
            // Nobody to deliver it to. An endpoint created while this command runs may miss this one event:
            // endpoints take the events after their creation. In the command's transaction, no row tells the
            // fan-out as much. A read model tracking the store on its own leaves a row without a body, so that the
            // fan-out does not wait for one; the endpoints it reads are written in their own commands' transactions
            // (the assembly's read model), so an endpoint created before the event is seen.
            if (!inCommand) {
                String accountId = owner.orElseThrow(() -> new IllegalStateException("no " + resource + " "
                        + resourceId + " in its read model after " + type.value())).accountId();
                deliveries.recordEvent(event.getIdentifier(), type.value(), accountId, event.getTimestamp(), null,
                        null);
            }
            return;
        }
        String accountId = owner.get().accountId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", event.getIdentifier());
        body.put("type", type.value());
        body.put("createdAt", Timestamps.format(event.getTimestamp()));
        body.put("accountId", accountId);
        body.put("data", current(resource, resourceId));
        // Encrypted at rest: the row outlives the resource's own (no retention yet) and holds its numbers and names.
        // For the endpoints enabled now: one created later does not receive it, however late the fan-out runs.
        deliveries.recordEvent(event.getIdentifier(), type.value(), accountId, event.getTimestamp(),
                cipher.encrypt(json.writeValueAsString(body)), owner.get().endpoints());
    }

    private Object current(Resource resource, String id) {
        return switch (resource) {
            case BANK_ACCOUNT -> ask(new FindBankAccountQuery(id), BankAccountResponse.class);
            case FUNDS_TRANSFER -> ask(new FindFundsTransferQuery(id), FundsTransferResponse.class);
            // A consent's refresh token is for the API's answers only: never pushed to a receiver, nor kept here.
            case APPROVAL -> ask(new FindApprovalQuery(id), ApprovalResponse.class).withoutRefreshToken();
            case CONNECTION_INTENT -> ask(new FindConnectionIntentQuery(id), ConnectionIntentResponse.class);
        };
    }

    private <R> R ask(Object query, Class<R> type) {
        return queries.query(query, ResponseTypes.instanceOf(type)).join();
    }
}
