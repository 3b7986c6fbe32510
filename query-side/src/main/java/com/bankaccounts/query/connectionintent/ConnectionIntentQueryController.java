package com.bankaccounts.query.connectionintent;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.FindConnectionIntentQuery;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.query.connectionintent.ConnectionIntentReadModel.StoredIntent;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * For polling an intent's status; each face sees only the intents made on it. Also answers a create's
 * {@link FindConnectionIntentQuery} (its caller has already been checked).
 */
@RestController
public class ConnectionIntentQueryController {

    private final ConnectionIntentReadModel readModel;

    public ConnectionIntentQueryController(ConnectionIntentReadModel readModel) {
        this.readModel = readModel;
    }

    @ErrorCodes(notFound = ErrorCode.CONNECTION_INTENT_NOT_FOUND)
    @GetMapping("/api/bank-account-connection-intents/{connectionIntentId}")
    public ConnectionIntentResponse get(Caller caller, @PathVariable String connectionIntentId) {
        return visible(caller, connectionIntentId, false, ErrorCode.CONNECTION_INTENT_NOT_FOUND).response();
    }

    @ErrorCodes(notFound = ErrorCode.BANK_ACCOUNT_REQUEST_NOT_FOUND)
    @GetMapping("/api/bank-account-requests/{bankAccountRequestId}")
    public ConnectionIntentResponse getRequest(Caller caller, @PathVariable String bankAccountRequestId) {
        return visible(caller, bankAccountRequestId, true, ErrorCode.BANK_ACCOUNT_REQUEST_NOT_FOUND).response();
    }

    @QueryHandler
    public ConnectionIntentResponse handle(FindConnectionIntentQuery query) {
        return readModel.findById(query.connectionIntentId()).map(StoredIntent::response).orElse(null);
    }

    private StoredIntent visible(Caller caller, String id, boolean legacy, ErrorCode notFound) {
        return readModel.findById(id)
                .filter(intent -> intent.legacyRequest() == legacy)
                .filter(intent -> caller.canAccess(intent.response().accountId()))
                .orElseThrow(() -> new NotFoundException(notFound));
    }
}
