package com.bankaccounts.command.fundstransfer;

import static com.bankaccounts.command.PayloadMatchers.businessRule;
import static com.bankaccounts.command.PayloadMatchers.notFound;
import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.fundstransfer.CreateFundsTransferCommand;
import com.bankaccounts.api.fundstransfer.FundsTransferCompletedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferCreatedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferSettledEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferType;
import com.bankaccounts.api.fundstransfer.SettleFundsTransferCommand;
import com.bankaccounts.api.fundstransfer.TopUpFundsReleasedEvent;
import com.bankaccounts.command.bankaccount.BankAccountRegistry.RegisteredBankAccount;
import com.bankaccounts.command.bankaccount.FakeBankAccountRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FundsTransferTest {

    private static final String FUNDS_TRANSFER_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private static final String BANK_ACCOUNT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final String ACCOUNT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    private static final String NUMBER = "01-0902-0068389-000";
    private static final long AMOUNT = 2500;
    private static final String CODE = "0427";

    private FixtureConfiguration<FundsTransfer> fixture;
    private FakeBankAccountRegistry registry;
    private RecordingCodes codes;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(FundsTransfer.class);
        registry = new FakeBankAccountRegistry();
        codes = new RecordingCodes();
        fixture.registerInjectableResource(registry);
        fixture.registerInjectableResource(codes);
        fixture.registerInjectableResource(new PaymentConsents(null));
    }

    @Test
    void aTopUpWithoutDirectDebitAuthorityIsRefused() {
        registry.holds(bankAccount(false, false, false));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.TOPUP))
                .expectException(businessRule(ErrorCode.DIRECT_DEBIT_NOT_AUTHORIZED))
                .expectNoEvents();
    }

    @Test
    void aRefusedTopUpRecordsNoCode() {
        registry.holds(bankAccount(false, false, false));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.TOPUP))
                .expectException(businessRule(ErrorCode.DIRECT_DEBIT_NOT_AUTHORIZED));

        assertThat(codes.issued).isEmpty();
    }

    @Test
    void aTransferFromAnUnknownBankAccountIsNotFound() {
        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.WITHDRAWAL))
                .expectException(notFound(ErrorCode.BANK_ACCOUNT_NOT_FOUND))
                .expectNoEvents();

        assertThat(codes.issued).isEmpty();
    }

    @Test
    void aLiveTopUpFromAnUnverifiedBankAccountIsOnlyCreated() {
        registry.holds(bankAccount(false, true, false));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.TOPUP))
                .expectEvents(created(FundsTransferType.TOPUP, false));
    }

    @Test
    void aTestTopUpFromAnUnverifiedBankAccountIsSettledButNotDone() {
        registry.holds(bankAccount(true, true, false));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.TOPUP))
                .expectEvents(created(FundsTransferType.TOPUP, true), settled());
    }

    @Test
    void aTestTopUpFromAVerifiedBankAccountIsDoneAtOnce() {
        registry.holds(bankAccount(true, true, true));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.TOPUP))
                .expectEvents(created(FundsTransferType.TOPUP, true), settled(), released(), completed());
    }

    @Test
    void aLiveTopUpFromAVerifiedBankAccountIsReleasedButAwaitsSettlement() {
        registry.holds(bankAccount(false, true, true));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.TOPUP))
                .expectEvents(created(FundsTransferType.TOPUP, false), released());
    }

    @Test
    void aLiveWithdrawalIsOnlyCreated() {
        registry.holds(bankAccount(false, false, false));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.WITHDRAWAL))
                .expectEvents(created(FundsTransferType.WITHDRAWAL, false));
    }

    @Test
    void aWithdrawalFromAVerifiedBankAccountHoldsNoFundsToRelease() {
        registry.holds(bankAccount(false, true, true));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.WITHDRAWAL))
                .expectEvents(created(FundsTransferType.WITHDRAWAL, false));
    }

    @Test
    void aTestWithdrawalIsDoneAtOnce() {
        registry.holds(bankAccount(true, false, false));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.WITHDRAWAL))
                .expectEvents(created(FundsTransferType.WITHDRAWAL, true), settled(), completed());
    }

    @Test
    void theIssuedCodeIsRecordedForTheTransferAndCarriedByTheEvent() {
        RegisteredBankAccount bankAccount = bankAccount(false, true, false);
        registry.holds(bankAccount);

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.TOPUP))
                .expectEvents(created(FundsTransferType.TOPUP, false));

        assertThat(codes.issued).containsExactly(new Issued(FUNDS_TRANSFER_ID, bankAccount, FundsTransferType.TOPUP));
    }

    @Test
    void aBankAccountOfAnotherAccountIsNotFound() {
        registry.holds(bankAccount(false, true, true));

        fixture.givenNoPriorActivity()
                .when(new CreateFundsTransferCommand(FUNDS_TRANSFER_ID, BANK_ACCOUNT_ID, FundsTransferType.TOPUP,
                        AMOUNT, "another-account"))
                .expectException(notFound(ErrorCode.BANK_ACCOUNT_NOT_FOUND))
                .expectNoEvents();

        assertThat(codes.issued).isEmpty();
    }

    @Test
    void aCallerForAnyAccountMayUseAnyBankAccount() {
        registry.holds(bankAccount(false, false, false));

        fixture.givenNoPriorActivity()
                .when(new CreateFundsTransferCommand(FUNDS_TRANSFER_ID, BANK_ACCOUNT_ID, FundsTransferType.WITHDRAWAL,
                        AMOUNT, null))
                .expectEvents(created(FundsTransferType.WITHDRAWAL, false));
    }

    @Test
    void codesAreFourRandomDigits() {
        List<String> drawn = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            drawn.add(FundsTransferCodes.drawCode());
        }
        assertThat(drawn).allMatch(code -> code.matches("\\d{4}"));
        // Not a statistical test (200 draws from 10,000 repeat some codes); a constant code would pass the rest.
        assertThat(new HashSet<>(drawn)).hasSizeGreaterThan(1);
    }

    @Test
    void settlingALiveWithdrawalCompletesIt() {
        fixture.given(created(FundsTransferType.WITHDRAWAL, false))
                .when(new SettleFundsTransferCommand(FUNDS_TRANSFER_ID))
                .expectEvents(settled(), completed());
    }

    @Test
    void settlingAnUnreleasedTopUpLeavesItAwaitingVerification() {
        fixture.given(created(FundsTransferType.TOPUP, false))
                .when(new SettleFundsTransferCommand(FUNDS_TRANSFER_ID))
                .expectEvents(settled());
    }

    @Test
    void settlingAReleasedTopUpCompletesIt() {
        fixture.given(created(FundsTransferType.TOPUP, false), released())
                .when(new SettleFundsTransferCommand(FUNDS_TRANSFER_ID))
                .expectEvents(settled(), completed());
    }

    @Test
    void settlingTwiceIsRefused() {
        fixture.given(created(FundsTransferType.WITHDRAWAL, false), settled(), completed())
                .when(new SettleFundsTransferCommand(FUNDS_TRANSFER_ID))
                .expectException(businessRule(ErrorCode.FUNDS_TRANSFER_ALREADY_SETTLED))
                .expectNoEvents();
    }

    @Test
    void settlingATestTransferIsRefusedAsTheSandboxSettledItAtCreation() {
        fixture.given(created(FundsTransferType.TOPUP, true), settled())
                .when(new SettleFundsTransferCommand(FUNDS_TRANSFER_ID))
                .expectException(businessRule(ErrorCode.FUNDS_TRANSFER_ALREADY_SETTLED))
                .expectNoEvents();
    }

    private static CreateFundsTransferCommand create(FundsTransferType type) {
        return new CreateFundsTransferCommand(FUNDS_TRANSFER_ID, BANK_ACCOUNT_ID, type, AMOUNT, ACCOUNT_ID);
    }

    private static RegisteredBankAccount bankAccount(boolean test, boolean directDebitAuthorized, boolean verified) {
        return new RegisteredBankAccount(BANK_ACCOUNT_ID, ACCOUNT_ID, NUMBER, test, directDebitAuthorized, verified);
    }

    private static FundsTransferCreatedEvent created(FundsTransferType type, boolean test) {
        return new FundsTransferCreatedEvent(FUNDS_TRANSFER_ID, ACCOUNT_ID, BANK_ACCOUNT_ID, type, AMOUNT, CODE, test);
    }

    private static FundsTransferSettledEvent settled() {
        return new FundsTransferSettledEvent(FUNDS_TRANSFER_ID);
    }

    private static TopUpFundsReleasedEvent released() {
        return new TopUpFundsReleasedEvent(FUNDS_TRANSFER_ID);
    }

    private static FundsTransferCompletedEvent completed() {
        return new FundsTransferCompletedEvent(FUNDS_TRANSFER_ID);
    }

    private record Issued(String fundsTransferId, RegisteredBankAccount bankAccount, FundsTransferType type) {
    }

    /** Issues {@link #CODE} every time and keeps what it issued in memory; never touches the database. */
    private static final class RecordingCodes extends FundsTransferCodes {

        private final List<Issued> issued = new ArrayList<>();

        RecordingCodes() {
            super(null, Duration.ofDays(30));
        }

        @Override
        String issue(String fundsTransferId, RegisteredBankAccount bankAccount, FundsTransferType type) {
            issued.add(new Issued(fundsTransferId, bankAccount, type));
            return CODE;
        }
    }
}
