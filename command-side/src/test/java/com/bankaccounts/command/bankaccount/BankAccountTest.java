package com.bankaccounts.command.bankaccount;

import static com.bankaccounts.command.PayloadMatchers.businessRule;
import static com.bankaccounts.command.PayloadMatchers.notFound;
import static com.bankaccounts.command.PayloadMatchers.payload;
import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.bankaccount.AuthorizeDirectDebitCommand;
import com.bankaccounts.api.bankaccount.BankAccountCreatedEvent;
import com.bankaccounts.api.bankaccount.BankAccountFace;
import com.bankaccounts.api.bankaccount.BankAccountVerificationFailedEvent;
import com.bankaccounts.api.bankaccount.BankAccountVerifiedEvent;
import com.bankaccounts.api.bankaccount.CreateBankAccountCommand;
import com.bankaccounts.api.bankaccount.DirectDebitAuthority;
import com.bankaccounts.api.bankaccount.DirectDebitAuthorizedEvent;
import com.bankaccounts.api.bankaccount.VerificationOutcome;
import com.bankaccounts.api.bankaccount.VerifyBankAccountCommand;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.InvalidInputException;
import com.bankaccounts.api.common.RecordedRefusalException;
import com.bankaccounts.command.bankaccount.BankAccountRegistry.Claim;
import com.bankaccounts.platform.account.Account;
import java.time.Instant;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BankAccountTest {

    private static final String BANK_ACCOUNT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final String LIVE_ACCOUNT = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    private static final String TEST_ACCOUNT = "16fd2706-8baf-433b-82eb-8c7fada847da";
    private static final String NUMBER = "01-0902-0068389-000";
    private static final String BAD_CHECK_DIGITS = "01-0902-0068388-000";
    private static final String NAME = "Everyday";
    private static final DirectDebitAuthority AUTHORITY =
            new DirectDebitAuthority("+64211234567", "Jane Holder", "jane@example.com");
    private static final String RIGHT_CODE = "4829";
    private static final String WRONG_CODE = "1111";
    private static final String OTHER_ACCOUNT_CODE = "9055";

    private FixtureConfiguration<BankAccount> fixture;
    private FakeBankAccountRegistry registry;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(BankAccount.class);
        registry = new FakeBankAccountRegistry();
        registry.knows(new Account(LIVE_ACCOUNT, "Account", false, Instant.EPOCH, "crn"));
        registry.knows(new Account(TEST_ACCOUNT, "Account", true, Instant.EPOCH, "crn"));
        fixture.registerInjectableResource(registry);
        fixture.registerInjectableResource(new BankAccountLimits(10, 2, 3));
        fixture.registerInjectableResource((VerificationCodes) bankAccountId ->
                new VerificationCodes.RecentCodes(Set.of(RIGHT_CODE, "7302"), Set.of(OTHER_ACCOUNT_CODE)));
        // The application's command bus commits the events of a recorded refusal, then answers it
        // (AxonJdbcConfiguration); the fixture's bus rolls back on every exception, so here it answers as the result.
        fixture.registerCommandHandlerInterceptor((unitOfWork, chain) -> {
            try {
                return chain.proceed();
            } catch (RecordedRefusalException refusal) {
                return refusal;
            }
        });
    }

    @Test
    void creatingWithoutAuthorityRecordsOnlyTheCreation() {
        fixture.givenNoPriorActivity()
                .when(create(LIVE_ACCOUNT, NUMBER, null, BankAccountFace.BANK_ACCOUNT))
                .expectEvents(created(LIVE_ACCOUNT, false));
    }

    @Test
    void creatingWithAuthorityAlsoAuthorizesDirectDebits() {
        fixture.givenNoPriorActivity()
                .when(create(LIVE_ACCOUNT, NUMBER, AUTHORITY, BankAccountFace.BANK_AUTHORITY))
                .expectEvents(created(LIVE_ACCOUNT, false), authorized());
    }

    @Test
    void creatingClaimsTheCanonicalNumberForTheAccount() {
        fixture.givenNoPriorActivity()
                .when(create(TEST_ACCOUNT, "12 1234 1234567 12", null, BankAccountFace.BANK_ACCOUNT))
                .expectEvents(new BankAccountCreatedEvent(BANK_ACCOUNT_ID, TEST_ACCOUNT, "12-1234-1234567-012",
                        NAME, true));

        assertThat(registry.claims()).containsExactly(
                BANK_ACCOUNT_ID + " " + TEST_ACCOUNT + " 12-1234-1234567-012 test=true");
    }

    @Test
    void anUnknownAccountIsNotFound() {
        fixture.givenNoPriorActivity()
                .when(create("no-such-account", NUMBER, null, BankAccountFace.BANK_ACCOUNT))
                .expectException(notFound(ErrorCode.ACCOUNT_NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void aNumberOfTheWrongShapeIsRefusedAsInput() {
        fixture.givenNoPriorActivity()
                .when(create(TEST_ACCOUNT, "12-1234", null, BankAccountFace.BANK_ACCOUNT))
                .expectException(invalidInput(BankAccount.NUMBER_FORMAT))
                .expectNoEvents();
        assertThat(registry.claims()).isEmpty();
    }

    /** The shape's message shows an example a client may copy: a number a live account takes. */
    @Test
    void theShapesExampleIsAValidNumber() {
        String example = BankAccount.NUMBER_FORMAT.substring(BankAccount.NUMBER_FORMAT.lastIndexOf(' ') + 1);
        fixture.givenNoPriorActivity()
                .when(create(LIVE_ACCOUNT, example, null, BankAccountFace.BANK_ACCOUNT))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void aLiveAccountNeedsValidCheckDigits() {
        fixture.givenNoPriorActivity()
                .when(create(LIVE_ACCOUNT, BAD_CHECK_DIGITS, null, BankAccountFace.BANK_ACCOUNT))
                .expectException(invalidInput(BankAccount.NUMBER_INVALID))
                .expectNoEvents();
    }

    @Test
    void aTestAccountNeedsOnlyAWellFormedNumber() {
        fixture.givenNoPriorActivity()
                .when(create(TEST_ACCOUNT, BAD_CHECK_DIGITS, null, BankAccountFace.BANK_ACCOUNT))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void aNumberTheAccountHoldsIsADuplicateOnEitherFace() {
        registry.answersClaimsWith(Claim.ALREADY_HELD);
        fixture.givenNoPriorActivity()
                .when(create(LIVE_ACCOUNT, NUMBER, AUTHORITY, BankAccountFace.BANK_AUTHORITY))
                .expectException(businessRule(ErrorCode.DUPLICATE_BANK_ACCOUNT))
                .expectNoEvents();
    }

    @Test
    void theAccountLimitIsNamedByTheFace() {
        registry.answersClaimsWith(Claim.ACCOUNT_LIMIT_REACHED);
        fixture.givenNoPriorActivity()
                .when(create(LIVE_ACCOUNT, NUMBER, null, BankAccountFace.BANK_ACCOUNT))
                .expectException(businessRule(ErrorCode.BANK_ACCOUNT_LIMIT_EXCEEDED))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(create(LIVE_ACCOUNT, NUMBER, AUTHORITY, BankAccountFace.BANK_AUTHORITY))
                .expectException(businessRule(ErrorCode.BANK_AUTHORITY_LIMIT_EXCEEDED));
    }

    @Test
    void theHolderLimitIsNamedByTheFace() {
        registry.answersClaimsWith(Claim.HOLDER_LIMIT_REACHED);
        fixture.givenNoPriorActivity()
                .when(create(LIVE_ACCOUNT, NUMBER, null, BankAccountFace.BANK_ACCOUNT))
                .expectException(businessRule(ErrorCode.BANK_ACCOUNT_HOLDER_LIMIT_EXCEEDED))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(create(LIVE_ACCOUNT, NUMBER, AUTHORITY, BankAccountFace.BANK_AUTHORITY))
                .expectException(businessRule(ErrorCode.BANK_AUTHORITIES_FOR_BANK_ACCOUNT_EXCEEDED));
    }

    @Test
    void authorizingDirectDebitsRecordsTheAuthority() {
        fixture.given(created(LIVE_ACCOUNT, false))
                .when(new AuthorizeDirectDebitCommand(BANK_ACCOUNT_ID, AUTHORITY))
                .expectEvents(authorized());
    }

    @Test
    void authorizingTwiceIsRefused() {
        fixture.given(created(LIVE_ACCOUNT, false), authorized())
                .when(new AuthorizeDirectDebitCommand(BANK_ACCOUNT_ID, AUTHORITY))
                .expectException(businessRule(ErrorCode.DIRECT_DEBIT_ALREADY_AUTHORIZED))
                .expectNoEvents();
    }

    @Test
    void aCodeOfARecentTransferVerifiesTheBankAccount() {
        fixture.given(created(LIVE_ACCOUNT, false))
                .when(new VerifyBankAccountCommand(BANK_ACCOUNT_ID, RIGHT_CODE))
                .expectEvents(new BankAccountVerifiedEvent(BANK_ACCOUNT_ID, RIGHT_CODE))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void aWrongCodeIsRecordedAsAFailedAttemptAndRefused() {
        fixture.given(created(LIVE_ACCOUNT, false))
                .when(new VerifyBankAccountCommand(BANK_ACCOUNT_ID, WRONG_CODE))
                .expectEvents(failed(WRONG_CODE, 1, VerificationOutcome.CODE_INVALID))
                .expectResultMessagePayloadMatching(recordedRefusal(ErrorCode.VERIFICATION_CODE_INVALID));
    }

    @Test
    void aCodeOfAnotherAccountsTransferIsRecordedAsAnAccountMismatch() {
        fixture.given(created(LIVE_ACCOUNT, false))
                .when(new VerifyBankAccountCommand(BANK_ACCOUNT_ID, OTHER_ACCOUNT_CODE))
                .expectEvents(failed(OTHER_ACCOUNT_CODE, 1, VerificationOutcome.ACCOUNT_MISMATCH))
                .expectResultMessagePayloadMatching(recordedRefusal(ErrorCode.ACCOUNT_MISMATCH));
    }

    @Test
    void theThirdWrongCodeCountsThreeFailedAttempts() {
        fixture.given(created(LIVE_ACCOUNT, false), failed(WRONG_CODE, 1, VerificationOutcome.CODE_INVALID),
                        failed(WRONG_CODE, 2, VerificationOutcome.CODE_INVALID))
                .when(new VerifyBankAccountCommand(BANK_ACCOUNT_ID, WRONG_CODE))
                .expectEvents(failed(WRONG_CODE, 3, VerificationOutcome.CODE_INVALID))
                .expectResultMessagePayloadMatching(recordedRefusal(ErrorCode.VERIFICATION_CODE_INVALID));
    }

    @Test
    void afterThreeFailedAttemptsEvenTheRightCodeIsRefused() {
        fixture.given(created(LIVE_ACCOUNT, false), failed(WRONG_CODE, 1, VerificationOutcome.CODE_INVALID),
                        failed(WRONG_CODE, 2, VerificationOutcome.CODE_INVALID),
                        failed(WRONG_CODE, 3, VerificationOutcome.CODE_INVALID))
                .when(new VerifyBankAccountCommand(BANK_ACCOUNT_ID, RIGHT_CODE))
                .expectException(businessRule(ErrorCode.BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED))
                .expectNoEvents();
    }

    @Test
    void verifyingAVerifiedBankAccountIsRefused() {
        fixture.given(created(LIVE_ACCOUNT, false), new BankAccountVerifiedEvent(BANK_ACCOUNT_ID, RIGHT_CODE))
                .when(new VerifyBankAccountCommand(BANK_ACCOUNT_ID, RIGHT_CODE))
                .expectException(businessRule(ErrorCode.BANK_ACCOUNT_ALREADY_VERIFIED))
                .expectNoEvents();
    }

    private static CreateBankAccountCommand create(String accountId, String number, DirectDebitAuthority authority,
                                                   BankAccountFace face) {
        return new CreateBankAccountCommand(BANK_ACCOUNT_ID, accountId, number, NAME, authority, face);
    }

    private static BankAccountCreatedEvent created(String accountId, boolean test) {
        return new BankAccountCreatedEvent(BANK_ACCOUNT_ID, accountId, NUMBER, NAME, test);
    }

    private static DirectDebitAuthorizedEvent authorized() {
        return new DirectDebitAuthorizedEvent(BANK_ACCOUNT_ID, AUTHORITY.phoneNumber(), AUTHORITY.fullName(),
                AUTHORITY.emailAddress());
    }

    private static BankAccountVerificationFailedEvent failed(String code, int attempts, VerificationOutcome reason) {
        return new BankAccountVerificationFailedEvent(BANK_ACCOUNT_ID, code, attempts, reason);
    }

    private static org.hamcrest.Matcher<InvalidInputException> invalidInput(String message) {
        return payload(InvalidInputException.class, "an InvalidInputException: " + message,
                exception -> message.equals(exception.getMessage()));
    }

    private static org.hamcrest.Matcher<RecordedRefusalException> recordedRefusal(ErrorCode code) {
        return payload(RecordedRefusalException.class, "a RecordedRefusalException with code " + code,
                exception -> exception.code() == code);
    }
}
