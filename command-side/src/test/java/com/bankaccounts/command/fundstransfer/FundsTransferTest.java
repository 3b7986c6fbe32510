package com.bankaccounts.command.fundstransfer;

import static com.bankaccounts.command.PayloadMatchers.businessRule;
import static com.bankaccounts.command.PayloadMatchers.notFound;
import static com.bankaccounts.command.PayloadMatchers.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.fundstransfer.CreateFundsTransferCommand;
import com.bankaccounts.api.fundstransfer.FundsTransferCompletedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferCreatedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferResponse;
import com.bankaccounts.api.fundstransfer.FundsTransferSettledEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferType;
import com.bankaccounts.api.fundstransfer.ReleaseTopUpFundsCommand;
import com.bankaccounts.api.fundstransfer.SettleFundsTransferCommand;
import com.bankaccounts.api.fundstransfer.TopUpFundsReleasedEvent;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.command.bankaccount.BankAccountRegistry.RegisteredBankAccount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.messaging.Message;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.CoreMatchers;
import org.hamcrest.Matcher;
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
    private InMemoryRegistry registry;
    private RecordingCodes codes;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(FundsTransfer.class);
        registry = new InMemoryRegistry();
        codes = new RecordingCodes();
        fixture.registerAnnotatedCommandHandler(new FundsTransferCreationHandler(fixture.getRepository(), registry,
                codes));
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

        assertThat(codes.recorded).isEmpty();
    }

    @Test
    void aTransferFromAnUnknownBankAccountIsNotFound() {
        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.WITHDRAWAL))
                .expectException(notFound(ErrorCode.BANK_ACCOUNT_NOT_FOUND))
                .expectNoEvents();

        assertThat(codes.recorded).isEmpty();
    }

    @Test
    void aLiveTopUpFromAnUnverifiedBankAccountIsOnlyCreated() {
        registry.holds(bankAccount(false, true, false));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.TOPUP))
                .expectEventsMatching(createdWithAnyCodeThen(FundsTransferType.TOPUP, false))
                .expectResultMessagePayloadMatching(status(FundsTransferResponse.STATUS_CREATED));
    }

    @Test
    void creatingAnswersWithTheNewTransfer() {
        registry.holds(bankAccount(false, true, false));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.TOPUP))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayloadMatching(payload(FundsTransferResponse.class,
                        "a created, live FundsTransferResponse for " + FUNDS_TRANSFER_ID,
                        response -> FUNDS_TRANSFER_ID.equals(response.id())
                                && ACCOUNT_ID.equals(response.accountId())
                                && BANK_ACCOUNT_ID.equals(response.bankAccountId())
                                && FundsTransferType.TOPUP.value().equals(response.type())
                                && Long.toString(AMOUNT).equals(response.amount())
                                && FundsTransferResponse.STATUS_CREATED.equals(response.status())
                                && response.test() == null
                                && response.createdAt() != null
                                && response.createdAt().equals(response.updatedAt())));
    }

    @Test
    void aTestTopUpFromAnUnverifiedBankAccountIsSettledButNotDone() {
        registry.holds(bankAccount(true, true, false));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.TOPUP))
                .expectEventsMatching(createdWithAnyCodeThen(FundsTransferType.TOPUP, true, settled()))
                .expectResultMessagePayloadMatching(status(FundsTransferResponse.STATUS_CREATED));
    }

    @Test
    void aTestTopUpFromAVerifiedBankAccountIsDoneAtOnce() {
        registry.holds(bankAccount(true, true, true));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.TOPUP))
                .expectEventsMatching(createdWithAnyCodeThen(FundsTransferType.TOPUP, true,
                        settled(), released(), completed()))
                .expectResultMessagePayloadMatching(status(FundsTransferResponse.STATUS_DONE));
    }

    @Test
    void aLiveTopUpFromAVerifiedBankAccountIsReleasedButAwaitsSettlement() {
        registry.holds(bankAccount(false, true, true));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.TOPUP))
                .expectEventsMatching(createdWithAnyCodeThen(FundsTransferType.TOPUP, false, released()))
                .expectResultMessagePayloadMatching(status(FundsTransferResponse.STATUS_CREATED));
    }

    @Test
    void aLiveWithdrawalIsOnlyCreated() {
        registry.holds(bankAccount(false, false, false));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.WITHDRAWAL))
                .expectEventsMatching(createdWithAnyCodeThen(FundsTransferType.WITHDRAWAL, false))
                .expectResultMessagePayloadMatching(status(FundsTransferResponse.STATUS_CREATED));
    }

    @Test
    void aWithdrawalFromAVerifiedBankAccountHoldsNoFundsToRelease() {
        registry.holds(bankAccount(false, true, true));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.WITHDRAWAL))
                .expectEventsMatching(createdWithAnyCodeThen(FundsTransferType.WITHDRAWAL, false))
                .expectResultMessagePayloadMatching(status(FundsTransferResponse.STATUS_CREATED));
    }

    @Test
    void aTestWithdrawalIsDoneAtOnce() {
        registry.holds(bankAccount(true, false, false));

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.WITHDRAWAL))
                .expectEventsMatching(createdWithAnyCodeThen(FundsTransferType.WITHDRAWAL, true,
                        settled(), completed()))
                .expectResultMessagePayloadMatching(status(FundsTransferResponse.STATUS_DONE));
    }

    @Test
    void theRecordedCodeIsTheOneInTheEvent() {
        RegisteredBankAccount bankAccount = bankAccount(false, true, false);
        registry.holds(bankAccount);

        fixture.givenNoPriorActivity()
                .when(create(FundsTransferType.TOPUP))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        payload(FundsTransferCreatedEvent.class, "a creation carrying the recorded code",
                                event -> codes.recorded.size() == 1
                                        && event.verificationCode().equals(codes.recorded.get(0).code())),
                        andNoMore())));

        assertThat(codes.recorded).singleElement().satisfies(recorded -> {
            assertThat(recorded.fundsTransferId()).isEqualTo(FUNDS_TRANSFER_ID);
            assertThat(recorded.bankAccount()).isEqualTo(bankAccount);
            assertThat(recorded.type()).isEqualTo(FundsTransferType.TOPUP);
        });
    }

    @Test
    void everyCreationDrawsAFourDigitCode() {
        registry.holds(bankAccount(false, false, false));

        for (int i = 0; i < 200; i++) {
            fixture.givenNoPriorActivity()
                    .when(new CreateFundsTransferCommand("funds-transfer-" + i, BANK_ACCOUNT_ID,
                            FundsTransferType.WITHDRAWAL, AMOUNT))
                    .expectSuccessfulHandlerExecution();
        }

        List<String> drawn = codes.recorded.stream().map(Recorded::code).toList();
        assertThat(drawn).hasSize(200).allMatch(code -> code.matches("\\d{4}"));
        // Not a statistical test (200 draws from 10,000 repeat some codes); a constant code would pass the rest.
        assertThat(new HashSet<>(drawn)).hasSizeGreaterThan(1);
    }

    @Test
    void settlingALiveWithdrawalCompletesIt() {
        fixture.given(created(FundsTransferType.WITHDRAWAL, false))
                .when(new SettleFundsTransferCommand(FUNDS_TRANSFER_ID))
                .expectEvents(settled(), completed())
                .expectResultMessagePayloadMatching(status(FundsTransferResponse.STATUS_DONE));
    }

    @Test
    void settlingAnUnreleasedTopUpLeavesItAwaitingVerification() {
        fixture.given(created(FundsTransferType.TOPUP, false))
                .when(new SettleFundsTransferCommand(FUNDS_TRANSFER_ID))
                .expectEvents(settled())
                .expectResultMessagePayloadMatching(status(FundsTransferResponse.STATUS_CREATED));
    }

    @Test
    void settlingAReleasedTopUpCompletesIt() {
        fixture.given(created(FundsTransferType.TOPUP, false), released())
                .when(new SettleFundsTransferCommand(FUNDS_TRANSFER_ID))
                .expectEvents(settled(), completed())
                .expectResultMessagePayloadMatching(status(FundsTransferResponse.STATUS_DONE));
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

    @Test
    void releasingASettledTopUpCompletesIt() {
        fixture.given(created(FundsTransferType.TOPUP, false), settled())
                .when(new ReleaseTopUpFundsCommand(FUNDS_TRANSFER_ID))
                .expectEvents(released(), completed());
    }

    @Test
    void releasingAnUnsettledTopUpOnlyReleasesIt() {
        fixture.given(created(FundsTransferType.TOPUP, false))
                .when(new ReleaseTopUpFundsCommand(FUNDS_TRANSFER_ID))
                .expectEvents(released());
    }

    @Test
    void releasingAReleasedTopUpDoesNothing() {
        fixture.given(created(FundsTransferType.TOPUP, false), released())
                .when(new ReleaseTopUpFundsCommand(FUNDS_TRANSFER_ID))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void releasingACompletedTopUpDoesNothing() {
        fixture.given(created(FundsTransferType.TOPUP, true), settled(), released(), completed())
                .when(new ReleaseTopUpFundsCommand(FUNDS_TRANSFER_ID))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void releasingAWithdrawalIsRefused() {
        fixture.given(created(FundsTransferType.WITHDRAWAL, false))
                .when(new ReleaseTopUpFundsCommand(FUNDS_TRANSFER_ID))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    private static CreateFundsTransferCommand create(FundsTransferType type) {
        return new CreateFundsTransferCommand(FUNDS_TRANSFER_ID, BANK_ACCOUNT_ID, type, AMOUNT);
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

    /** The code is random: the creation is matched on everything else and on the code's shape, what follows exactly. */
    @SuppressWarnings("unchecked")
    private static Matcher<List<Message<?>>> createdWithAnyCodeThen(FundsTransferType type, boolean test,
                                                                   Object... following) {
        List<Matcher<Object>> events = new ArrayList<>();
        events.add(payload(Object.class,
                "a FundsTransferCreatedEvent of a " + (test ? "test " : "live ") + type.value()
                        + " with a 4-digit code",
                payload -> payload instanceof FundsTransferCreatedEvent event
                        && event.verificationCode() != null && event.verificationCode().matches("\\d{4}")
                        && event.equals(new FundsTransferCreatedEvent(FUNDS_TRANSFER_ID, ACCOUNT_ID, BANK_ACCOUNT_ID,
                        type, AMOUNT, event.verificationCode(), test))));
        for (Object event : following) {
            events.add(CoreMatchers.equalTo(event));
        }
        events.add(andNoMore());
        return payloadsMatching(exactSequenceOf(events.toArray(Matcher[]::new)));
    }

    private static Matcher<FundsTransferResponse> status(String status) {
        return payload(FundsTransferResponse.class, "a FundsTransferResponse with status " + status,
                response -> status.equals(response.status()));
    }

    private record Recorded(String fundsTransferId, RegisteredBankAccount bankAccount, FundsTransferType type,
                            String code) {
    }

    /** Keeps the codes in memory; the fixture never reaches the methods that would query the database. */
    private static final class RecordingCodes extends FundsTransferCodes {

        private final List<Recorded> recorded = new ArrayList<>();

        RecordingCodes() {
            super(null, Duration.ofDays(30));
        }

        @Override
        void record(String fundsTransferId, RegisteredBankAccount bankAccount, FundsTransferType type, String code) {
            recorded.add(new Recorded(fundsTransferId, bankAccount, type, code));
        }
    }

    /** Only lookups: creating a transfer must not claim or mark a bank account. */
    private static final class InMemoryRegistry implements BankAccountRegistry {

        private final Map<String, RegisteredBankAccount> bankAccounts = new HashMap<>();

        void holds(RegisteredBankAccount bankAccount) {
            bankAccounts.put(bankAccount.bankAccountId(), bankAccount);
        }

        @Override
        public Optional<RegisteredBankAccount> lock(String bankAccountId) {
            return Optional.ofNullable(bankAccounts.get(bankAccountId));
        }

        @Override
        public Optional<String> findByAccountAndNumber(String accountId, String bankAccountNumber) {
            throw new UnsupportedOperationException("not used by this aggregate's commands");
        }

        @Override
        public Optional<String> ownerOf(String bankAccountId) {
            return lock(bankAccountId).map(RegisteredBankAccount::accountId);
        }

        @Override
        public void claim(String bankAccountId, String accountId, String bankAccountNumber, boolean test) {
            throw new UnsupportedOperationException("claim");
        }

        @Override
        public void markDirectDebitAuthorized(String bankAccountId) {
            throw new UnsupportedOperationException("markDirectDebitAuthorized");
        }

        @Override
        public void markVerified(String bankAccountId) {
            throw new UnsupportedOperationException("markVerified");
        }
    }
}
