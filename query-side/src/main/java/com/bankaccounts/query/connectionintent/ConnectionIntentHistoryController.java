package com.bankaccounts.query.connectionintent;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.query.history.EventHistory;
import com.bankaccounts.query.history.HistoryEntry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A connection intent's history, from its events in the event store, and a bank account request's (the flow's older
 * face), with its statuses as that face shows them. As for their GETs, each face shows only its own.
 */
@RestController
public class ConnectionIntentHistoryController {

    private final EventHistory history;

    public ConnectionIntentHistoryController(EventHistory history) {
        this.history = history;
    }

    @ErrorCodes(notFound = ErrorCode.CONNECTION_INTENT_NOT_FOUND)
    @GetMapping("/api/bank-account-connection-intents/{connectionIntentId}/history")
    public EventHistory.History history(Caller caller, @PathVariable String connectionIntentId) {
        return history.history(caller, connectionIntentId, ConnectionIntentCreatedEvent.class,
                ConnectionIntentCreatedEvent::accountId, created -> !created.legacyRequest(),
                ErrorCode.CONNECTION_INTENT_NOT_FOUND);
    }

    @ErrorCodes(notFound = ErrorCode.BANK_ACCOUNT_REQUEST_NOT_FOUND)
    @GetMapping("/api/bank-account-requests/{bankAccountRequestId}/history")
    public EventHistory.History requestHistory(Caller caller, @PathVariable String bankAccountRequestId) {
        EventHistory.History events = history.history(caller, bankAccountRequestId,
                ConnectionIntentCreatedEvent.class, ConnectionIntentCreatedEvent::accountId,
                ConnectionIntentCreatedEvent::legacyRequest, ErrorCode.BANK_ACCOUNT_REQUEST_NOT_FOUND);
        return new EventHistory.History(events.items().stream()
                .map(ConnectionIntentHistoryController::onRequestFace).toList());
    }

    private static HistoryEntry onRequestFace(HistoryEntry entry) {
        if (!(entry.changes().get("status") instanceof String status)) {
            return entry;
        }
        Map<String, Object> changes = new LinkedHashMap<>(entry.changes());
        changes.put("status", ConnectionIntentResponse.onRequestFace(status));
        return new HistoryEntry(entry.eventId(), entry.sequence(), entry.type(), entry.time(), entry.principal(),
                entry.requestId(), changes);
    }
}
