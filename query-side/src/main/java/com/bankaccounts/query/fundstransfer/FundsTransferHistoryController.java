package com.bankaccounts.query.fundstransfer;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.fundstransfer.FundsTransferCreatedEvent;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.query.history.EventHistory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A funds transfer's history, from its events in the event store. */
@RestController
public class FundsTransferHistoryController {

    private final EventHistory history;

    public FundsTransferHistoryController(EventHistory history) {
        this.history = history;
    }

    @ErrorCodes(notFound = ErrorCode.FUNDS_TRANSFER_NOT_FOUND)
    @GetMapping("/api/funds-transfers/{fundsTransferId}/history")
    public EventHistory.History history(Caller caller, @PathVariable String fundsTransferId) {
        return history.history(caller, fundsTransferId, FundsTransferCreatedEvent.class,
                FundsTransferCreatedEvent::accountId, ErrorCode.FUNDS_TRANSFER_NOT_FOUND);
    }
}
