package com.bankaccounts.command.fundstransfer;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.api.fundstransfer.CreateFundsTransferCommand;
import com.bankaccounts.api.fundstransfer.FundsTransferCompletedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferCreatedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferResponse;
import com.bankaccounts.api.fundstransfer.FundsTransferSettledEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferType;
import com.bankaccounts.api.fundstransfer.ReleaseTopUpFundsCommand;
import com.bankaccounts.api.fundstransfer.SettleFundsTransferCommand;
import com.bankaccounts.api.fundstransfer.TopUpFundsReleasedEvent;
import com.bankaccounts.command.bankaccount.BankAccountRegistry.RegisteredBankAccount;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A top up or withdrawal. It is {@code done} once the bank has settled it and, for a top up, once its bank account
 * is verified and the funds are released. The sandbox bank settles test transfers as they are created.
 */
@Aggregate
public class FundsTransfer {

    @AggregateIdentifier
    private String fundsTransferId;
    private String accountId;
    private String bankAccountId;
    private FundsTransferType type;
    private long amount;
    private boolean test;
    private boolean settled;
    private boolean released;
    private boolean done;
    private Instant createdAt;
    private String createdBy;
    private Instant updatedAt;
    private String updatedBy;

    protected FundsTransfer() {
    }

    FundsTransfer(CreateFundsTransferCommand command, RegisteredBankAccount bankAccount, String verificationCode) {
        if (command.type() == FundsTransferType.TOPUP && !bankAccount.directDebitAuthorized()) {
            throw new BusinessRuleException(ErrorCode.DIRECT_DEBIT_NOT_AUTHORIZED);
        }
        apply(new FundsTransferCreatedEvent(command.fundsTransferId(), bankAccount.accountId(),
                bankAccount.bankAccountId(), command.type(), command.amount(), verificationCode, bankAccount.test()));
        // Events applied in a constructor reach the event sourcing handlers only after it returns, so the
        // decisions here use the facts at hand rather than this aggregate's fields.
        boolean settledAtOnce = bankAccount.test();
        boolean releasedAtOnce = command.type() == FundsTransferType.TOPUP && bankAccount.verified();
        if (settledAtOnce) {
            apply(new FundsTransferSettledEvent(command.fundsTransferId()));
        }
        if (releasedAtOnce) {
            apply(new TopUpFundsReleasedEvent(command.fundsTransferId()));
        }
        if (settledAtOnce && (command.type() == FundsTransferType.WITHDRAWAL || releasedAtOnce)) {
            apply(new FundsTransferCompletedEvent(command.fundsTransferId()));
        }
    }

    @CommandHandler
    public FundsTransferResponse handle(SettleFundsTransferCommand command) {
        if (settled) {
            throw new BusinessRuleException(ErrorCode.FUNDS_TRANSFER_ALREADY_SETTLED);
        }
        apply(new FundsTransferSettledEvent(fundsTransferId));
        completeIfDue();
        return toResponse();
    }

    /** Sent once per top up when its bank account is verified; a top up released at creation needs nothing more. */
    @CommandHandler
    public void handle(ReleaseTopUpFundsCommand command) {
        if (type != FundsTransferType.TOPUP) {
            throw new IllegalStateException("only top ups hold funds until verification: " + fundsTransferId);
        }
        if (!released) {
            apply(new TopUpFundsReleasedEvent(fundsTransferId));
            completeIfDue();
        }
    }

    private void completeIfDue() {
        if (!done && settled && (type == FundsTransferType.WITHDRAWAL || released)) {
            apply(new FundsTransferCompletedEvent(fundsTransferId));
        }
    }

    FundsTransferResponse toResponse() {
        return new FundsTransferResponse(fundsTransferId, accountId, bankAccountId, type.value(),
                Long.toString(amount), done ? FundsTransferResponse.STATUS_DONE : FundsTransferResponse.STATUS_CREATED,
                test ? Boolean.TRUE : null, Timestamps.format(createdAt), createdBy, Timestamps.format(updatedAt),
                updatedBy);
    }

    @EventSourcingHandler
    void on(FundsTransferCreatedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal) {
        fundsTransferId = event.fundsTransferId();
        accountId = event.accountId();
        bankAccountId = event.bankAccountId();
        type = event.type();
        amount = event.amount();
        test = event.test();
        createdAt = at;
        createdBy = principal;
        updated(at, principal);
    }

    @EventSourcingHandler
    void on(FundsTransferSettledEvent event) {
        settled = true;
    }

    @EventSourcingHandler
    void on(TopUpFundsReleasedEvent event) {
        released = true;
    }

    @EventSourcingHandler
    void on(FundsTransferCompletedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal) {
        done = true;
        updated(at, principal);
    }

    private void updated(Instant at, String principal) {
        updatedAt = at;
        updatedBy = principal;
    }
}
