package com.bankaccounts.query.bankaccount;

import com.bankaccounts.api.bankaccount.BankAccountCreatedEvent;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.query.history.EventHistory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A bank account's history, from its events in the event store. */
@RestController
public class BankAccountHistoryController {

    private final EventHistory history;

    public BankAccountHistoryController(EventHistory history) {
        this.history = history;
    }

    @ErrorCodes(notFound = ErrorCode.BANK_ACCOUNT_NOT_FOUND)
    @GetMapping("/api/bank-accounts/{bankAccountId}/history")
    public EventHistory.History history(Caller caller, @PathVariable String bankAccountId) {
        return history.history(caller, bankAccountId, BankAccountCreatedEvent.class,
                BankAccountCreatedEvent::accountId, ErrorCode.BANK_ACCOUNT_NOT_FOUND);
    }
}
