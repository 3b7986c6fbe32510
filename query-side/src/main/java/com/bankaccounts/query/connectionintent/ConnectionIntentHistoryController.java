package com.bankaccounts.query.connectionintent;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.query.history.EventHistory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A connection intent's history, from its events in the event store. As for its GET, an intent made as a bank
 * account request is not one of this face's.
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
}
