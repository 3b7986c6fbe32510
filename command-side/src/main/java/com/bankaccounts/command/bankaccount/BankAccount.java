package com.bankaccounts.command.bankaccount;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.bankaccounts.api.bankaccount.AuthorizeDirectDebitCommand;
import com.bankaccounts.api.bankaccount.BankAccountCreatedEvent;
import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.bankaccount.BankAccountVerificationFailedEvent;
import com.bankaccounts.api.bankaccount.BankAccountVerifiedEvent;
import com.bankaccounts.api.bankaccount.CreateBankAccountCommand;
import com.bankaccounts.api.bankaccount.DirectDebitAuthority;
import com.bankaccounts.api.bankaccount.DirectDebitAuthorizedEvent;
import com.bankaccounts.api.bankaccount.VerificationOutcome;
import com.bankaccounts.api.bankaccount.VerifyBankAccountCommand;
import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import java.time.Instant;
import java.util.List;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A bank account held by one account. Creation goes through {@link BankAccountCreationHandler}, which first claims
 * the number in the registry (set-based rules); every other rule lives here.
 */
@Aggregate
public class BankAccount {

    @AggregateIdentifier
    private String bankAccountId;
    private String accountId;
    private String bankAccountNumber;
    private String bankAccountName;
    private boolean test;
    private boolean directDebitAuthorized;
    private boolean verified;
    private int failedVerificationAttempts;
    private Instant createdAt;
    private String createdBy;
    private Instant modifiedAt;
    private String modifiedBy;

    protected BankAccount() {
    }

    BankAccount(CreateBankAccountCommand command) {
        apply(new BankAccountCreatedEvent(command.bankAccountId(), command.accountId(), command.bankAccountNumber(),
                command.bankAccountName(), command.test()));
        DirectDebitAuthority authority = command.directDebitAuthority();
        if (authority != null) {
            apply(new DirectDebitAuthorizedEvent(command.bankAccountId(), authority.phoneNumber(),
                    authority.fullName(), authority.emailAddress()));
        }
    }

    /**
     * A bank account that the account connected through a consent (no direct debit authority). Call it inside
     * {@code Repository<BankAccount>.newInstance}: it holds the same set-based rules as any creation.
     */
    public static BankAccount linked(String bankAccountId, String accountId, String bankAccountNumber,
                                     String bankAccountName, boolean test, BankAccountRegistry registry) {
        registry.claim(bankAccountId, accountId, bankAccountNumber, test);
        return new BankAccount(new CreateBankAccountCommand(bankAccountId, accountId, bankAccountNumber,
                bankAccountName, test, null));
    }

    @CommandHandler
    public BankAccountResponse handle(AuthorizeDirectDebitCommand command) {
        if (directDebitAuthorized) {
            throw new BusinessRuleException(ErrorCode.DIRECT_DEBIT_ALREADY_AUTHORIZED);
        }
        DirectDebitAuthority authority = command.directDebitAuthority();
        apply(new DirectDebitAuthorizedEvent(bankAccountId, authority.phoneNumber(), authority.fullName(),
                authority.emailAddress()));
        return toResponse();
    }

    /** A wrong code is recorded as a failed attempt and answered as a result, so the event is kept. */
    @CommandHandler
    public VerificationOutcome handle(VerifyBankAccountCommand command, BankAccountLimits limits) {
        if (verified) {
            throw new BusinessRuleException(ErrorCode.BANK_ACCOUNT_ALREADY_VERIFIED);
        }
        if (failedVerificationAttempts >= limits.maxFailedVerificationAttempts()) {
            throw new BusinessRuleException(ErrorCode.BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED);
        }
        if (command.validCodes().contains(command.verificationCode())) {
            apply(new BankAccountVerifiedEvent(bankAccountId, command.verificationCode()));
            return VerificationOutcome.VERIFIED;
        }
        VerificationOutcome failure = command.otherAccountCodes().contains(command.verificationCode())
                ? VerificationOutcome.ACCOUNT_MISMATCH
                : VerificationOutcome.CODE_INVALID;
        apply(new BankAccountVerificationFailedEvent(bankAccountId, command.verificationCode(),
                failedVerificationAttempts + 1, failure));
        return failure;
    }

    BankAccountResponse toResponse() {
        return new BankAccountResponse(bankAccountId, accountId, bankAccountNumber, bankAccountName,
                directDebitAuthorized, verified ? BankAccountResponse.STATUS_ACTIVE : BankAccountResponse.STATUS_CREATED,
                verified, test ? Boolean.TRUE : null, Timestamps.format(createdAt), createdBy,
                Timestamps.format(modifiedAt), modifiedBy, List.of());
    }

    String accountId() {
        return accountId;
    }

    @EventSourcingHandler
    void on(BankAccountCreatedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal) {
        bankAccountId = event.bankAccountId();
        accountId = event.accountId();
        bankAccountNumber = event.bankAccountNumber();
        bankAccountName = event.bankAccountName();
        test = event.test();
        createdAt = at;
        createdBy = principal;
        modified(at, principal);
    }

    @EventSourcingHandler
    void on(DirectDebitAuthorizedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal) {
        directDebitAuthorized = true;
        modified(at, principal);
    }

    @EventSourcingHandler
    void on(BankAccountVerifiedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal) {
        verified = true;
        modified(at, principal);
    }

    @EventSourcingHandler
    void on(BankAccountVerificationFailedEvent event) {
        failedVerificationAttempts = event.failedAttempts();
    }

    private void modified(Instant at, String principal) {
        modifiedAt = at;
        modifiedBy = principal;
    }
}
