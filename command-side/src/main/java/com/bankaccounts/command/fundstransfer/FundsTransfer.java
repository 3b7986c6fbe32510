package com.bankaccounts.command.fundstransfer;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.connectionintent.ConsentPeriodWindow;
import com.bankaccounts.api.fundstransfer.CreateFundsTransferCommand;
import com.bankaccounts.api.fundstransfer.FundsTransferCompletedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferCreatedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferSettledEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferType;
import com.bankaccounts.api.fundstransfer.SettleFundsTransferCommand;
import com.bankaccounts.api.fundstransfer.TopUpFundsReleasedEvent;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.command.bankaccount.BankAccountRegistry.RegisteredBankAccount;
import com.bankaccounts.command.fundstransfer.PaymentConsents.PaymentConsent;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A top up or withdrawal. It is {@code done} once the bank has settled it and, for a top up, once its bank account
 * is verified and the funds are released ({@link TopUpReleaser}). The sandbox bank settles test transfers as they are
 * created.
 */
@Aggregate
public class FundsTransfer {

    @AggregateIdentifier
    private String fundsTransferId;
    private FundsTransferType type;
    private boolean settled;
    private boolean released;
    private boolean done;

    protected FundsTransfer() {
    }

    /**
     * Created under the lock of its bank account's registry row, so a top up created while the bank account is being
     * verified is either released here or found by the verification, never missed.
     */
    @CommandHandler
    public FundsTransfer(CreateFundsTransferCommand command, BankAccountRegistry bankAccounts,
                         FundsTransferCodes codes, PaymentConsents consents) {
        RegisteredBankAccount bankAccount = bankAccounts.lock(command.bankAccountId())
                .filter(found -> command.accountId() == null || command.accountId().equals(found.accountId()))
                .orElseThrow(() -> new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND));
        if (command.type() == FundsTransferType.TOPUP && !bankAccount.directDebitAuthorized()) {
            throw new BusinessRuleException(ErrorCode.DIRECT_DEBIT_NOT_AUTHORIZED);
        }
        Instant consentPeriodStart = command.paymentConsentId() == null ? null
                : holdToConsent(command, bankAccount, consents, Instant.now());
        String verificationCode = codes.issue(command.fundsTransferId(), bankAccount, command.type());
        apply(new FundsTransferCreatedEvent(command.fundsTransferId(), bankAccount.accountId(),
                bankAccount.bankAccountId(), command.type(), command.amount(), verificationCode, bankAccount.test(),
                command.paymentConsentId(), consentPeriodStart));
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

    /**
     * A top up under a payment consent: the consent's row locked, it must be the bank account's own, approved and not
     * past its expiry, and the top up must fit in what is left of the current period's total. Answers that period's
     * start.
     */
    private static Instant holdToConsent(CreateFundsTransferCommand command, RegisteredBankAccount bankAccount,
                                         PaymentConsents consents, Instant now) {
        PaymentConsent consent = consents.lock(command.paymentConsentId())
                .filter(found -> found.accountId().equals(bankAccount.accountId()))
                .orElseThrow(() -> new NotFoundException(ErrorCode.APPROVAL_NOT_FOUND));
        if (!consent.bankAccountId().equals(bankAccount.bankAccountId())) {
            throw new BusinessRuleException(ErrorCode.ACCOUNT_MISMATCH);
        }
        if (!consent.activeAt(now)) {
            throw new BusinessRuleException(ErrorCode.PAYMENT_CONSENT_NOT_ACTIVE);
        }
        ConsentPeriodWindow window = ConsentPeriodWindow.of(
                consent.period() == null ? ConsentPeriod.DAILY : consent.period(), consent.approvedAt(), now);
        if (!consents.use(consent.approvalId(), window.start(), command.amount(), consent.totalAmount())) {
            throw new BusinessRuleException(ErrorCode.PAYMENT_CONSENT_LIMIT_EXCEEDED);
        }
        return window.start();
    }

    @CommandHandler
    public void handle(SettleFundsTransferCommand command) {
        if (settled) {
            throw new BusinessRuleException(ErrorCode.FUNDS_TRANSFER_ALREADY_SETTLED);
        }
        apply(new FundsTransferSettledEvent(fundsTransferId));
        completeIfDue();
    }

    /** Its bank account is verified; a top up released at creation needs nothing more. */
    void release() {
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

    @EventSourcingHandler
    void on(FundsTransferCreatedEvent event) {
        fundsTransferId = event.fundsTransferId();
        type = event.type();
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
    void on(FundsTransferCompletedEvent event) {
        done = true;
    }
}
