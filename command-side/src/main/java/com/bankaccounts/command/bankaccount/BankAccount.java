package com.bankaccounts.command.bankaccount;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.bankaccounts.api.bankaccount.AuthorizeDirectDebitCommand;
import com.bankaccounts.api.bankaccount.BankAccountCreatedEvent;
import com.bankaccounts.api.bankaccount.BankAccountFace;
import com.bankaccounts.api.bankaccount.BankAccountNumbers;
import com.bankaccounts.api.bankaccount.BankAccountVerificationFailedEvent;
import com.bankaccounts.api.bankaccount.BankAccountVerifiedEvent;
import com.bankaccounts.api.bankaccount.CreateBankAccountCommand;
import com.bankaccounts.api.bankaccount.DirectDebitAuthority;
import com.bankaccounts.api.bankaccount.DirectDebitAuthorizedEvent;
import com.bankaccounts.api.bankaccount.VerificationOutcome;
import com.bankaccounts.api.bankaccount.VerifyBankAccountCommand;
import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.InvalidInputException;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.RecordedRefusalException;
import com.bankaccounts.command.bankaccount.BankAccountRegistry.Claim;
import com.bankaccounts.platform.account.Account;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A bank account held by one account. Every rule about bank accounts is decided here; the set-based ones (a number
 * once per account, bank accounts per account, holders per number) are asked of the {@link BankAccountRegistry} in
 * the command's own transaction.
 */
@Aggregate
public class BankAccount {

    static final String NUMBER_FORMAT =
            "bankAccountNumber must be a New Zealand bank account number like 12-3140-0123460-000";
    static final String NUMBER_INVALID = "bankAccountNumber is not a valid New Zealand bank account number";

    @AggregateIdentifier
    private String bankAccountId;
    private boolean directDebitAuthorized;
    private boolean verified;
    private int failedVerificationAttempts;

    protected BankAccount() {
    }

    /** Live accounts need a number that passes Inland Revenue's check digits; test accounts only a well-formed one. */
    @CommandHandler
    public BankAccount(CreateBankAccountCommand command, BankAccountRegistry registry) {
        // Read under the lock its claim needs anyway: one statement instead of a read and then a lock.
        Account account = registry.lockAccount(command.accountId())
                .orElseThrow(() -> new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND));
        String number = BankAccountNumbers.canonical(command.bankAccountNumber())
                .orElseThrow(() -> new InvalidInputException(NUMBER_FORMAT));
        if (!account.test() && !BankAccountNumbers.hasValidCheckDigits(number)) {
            throw new InvalidInputException(NUMBER_INVALID);
        }
        refuseUnlessClaimed(registry.claimLocked(command.bankAccountId(), account.id(), number, account.test()),
                command.face());
        create(command.bankAccountId(), account.id(), number, command.bankAccountName(), account.test(),
                command.directDebitAuthority());
    }

    /**
     * A bank account that the account connected through a consent (no direct debit authority), with a canonical number
     * its provider vouched for. Call it inside {@code Repository<BankAccount>.newInstance}: it holds the same
     * set-based rules as any creation.
     */
    public static BankAccount linked(String bankAccountId, String accountId, String bankAccountNumber,
                                     String bankAccountName, boolean test, BankAccountRegistry registry) {
        BankAccount bankAccount = new BankAccount();
        refuseUnlessClaimed(registry.claim(bankAccountId, accountId, bankAccountNumber, test),
                BankAccountFace.BANK_ACCOUNT);
        bankAccount.create(bankAccountId, accountId, bankAccountNumber, bankAccountName, test, null);
        return bankAccount;
    }

    private void create(String bankAccountId, String accountId, String number, String name, boolean test,
                        DirectDebitAuthority authority) {
        apply(new BankAccountCreatedEvent(bankAccountId, accountId, number, name, test));
        if (authority != null) {
            apply(new DirectDebitAuthorizedEvent(bankAccountId, authority.phoneNumber(), authority.fullName(),
                    authority.emailAddress()));
        }
    }

    /** The deprecated bank authorities answer the two limits with codes of their own. */
    private static void refuseUnlessClaimed(Claim claim, BankAccountFace face) {
        boolean authority = face == BankAccountFace.BANK_AUTHORITY;
        switch (claim) {
            case CLAIMED -> {
            }
            case ALREADY_HELD -> throw new BusinessRuleException(ErrorCode.DUPLICATE_BANK_ACCOUNT);
            case ACCOUNT_LIMIT_REACHED -> throw new BusinessRuleException(authority
                    ? ErrorCode.BANK_AUTHORITY_LIMIT_EXCEEDED
                    : ErrorCode.BANK_ACCOUNT_LIMIT_EXCEEDED);
            case HOLDER_LIMIT_REACHED -> throw new BusinessRuleException(authority
                    ? ErrorCode.BANK_AUTHORITIES_FOR_BANK_ACCOUNT_EXCEEDED
                    : ErrorCode.BANK_ACCOUNT_HOLDER_LIMIT_EXCEEDED);
        }
    }

    @CommandHandler
    public void handle(AuthorizeDirectDebitCommand command) {
        if (directDebitAuthorized) {
            throw new BusinessRuleException(ErrorCode.DIRECT_DEBIT_ALREADY_AUTHORIZED);
        }
        DirectDebitAuthority authority = command.directDebitAuthority();
        apply(new DirectDebitAuthorizedEvent(bankAccountId, authority.phoneNumber(), authority.fullName(),
                authority.emailAddress()));
    }

    /**
     * The code must be on a recent statement of this bank account. A wrong one is a failed attempt: recorded (it
     * counts towards the limit), then refused with a {@link RecordedRefusalException}, which keeps the event.
     */
    @CommandHandler
    public void handle(VerifyBankAccountCommand command, BankAccountLimits limits, VerificationCodes codes) {
        if (verified) {
            throw new BusinessRuleException(ErrorCode.BANK_ACCOUNT_ALREADY_VERIFIED);
        }
        if (failedVerificationAttempts >= limits.maxFailedVerificationAttempts()) {
            throw new BusinessRuleException(ErrorCode.BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED);
        }
        VerificationCodes.RecentCodes recent = codes.recentCodesFor(bankAccountId);
        String code = command.verificationCode();
        if (recent.own().contains(code)) {
            apply(new BankAccountVerifiedEvent(bankAccountId, code));
            return;
        }
        boolean otherAccount = recent.otherAccounts().contains(code);
        apply(new BankAccountVerificationFailedEvent(bankAccountId, code, failedVerificationAttempts + 1,
                otherAccount ? VerificationOutcome.ACCOUNT_MISMATCH : VerificationOutcome.CODE_INVALID));
        throw new RecordedRefusalException(otherAccount
                ? ErrorCode.ACCOUNT_MISMATCH
                : ErrorCode.VERIFICATION_CODE_INVALID);
    }

    @EventSourcingHandler
    void on(BankAccountCreatedEvent event) {
        bankAccountId = event.bankAccountId();
    }

    @EventSourcingHandler
    void on(DirectDebitAuthorizedEvent event) {
        directDebitAuthorized = true;
    }

    @EventSourcingHandler
    void on(BankAccountVerifiedEvent event) {
        verified = true;
    }

    @EventSourcingHandler
    void on(BankAccountVerificationFailedEvent event) {
        failedVerificationAttempts = event.failedAttempts();
    }
}
