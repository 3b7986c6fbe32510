package com.bankaccounts.command.bankaccount;

import static com.bankaccounts.command.PayloadMatchers.businessRule;
import static com.bankaccounts.command.PayloadMatchers.payload;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BankAccountTest {

    private static final String BANK_ACCOUNT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final String ACCOUNT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    private static final String NUMBER = "01-0902-0068389-000";
    private static final String NAME = "Everyday";
    private static final DirectDebitAuthority AUTHORITY =
            new DirectDebitAuthority("+64211234567", "Jane Holder", "jane@example.com");
    private static final String RIGHT_CODE = "482913";
    private static final String WRONG_CODE = "111111";
    private static final String OTHER_ACCOUNT_CODE = "905517";
    private static final Set<String> VALID_CODES = Set.of(RIGHT_CODE, "730215");
    private static final Set<String> OTHER_ACCOUNT_CODES = Set.of(OTHER_ACCOUNT_CODE);

    private FixtureConfiguration<BankAccount> fixture;
    private InMemoryRegistry registry;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(BankAccount.class);
        // Resources first: the fixture refuses them once a command handler exists.
        fixture.registerInjectableResource(new BankAccountLimits(10, 2, 3));
        registry = new InMemoryRegistry();
        fixture.registerAnnotatedCommandHandler(new BankAccountCreationHandler(fixture.getRepository(), registry));
    }

    @Test
    void creatingWithoutAuthorityRecordsOnlyTheCreation() {
        fixture.givenNoPriorActivity()
                .when(create(null))
                .expectEvents(created());
    }

    @Test
    void creatingWithAuthorityAlsoAuthorizesDirectDebits() {
        fixture.givenNoPriorActivity()
                .when(create(AUTHORITY))
                .expectEvents(created(), authorized());
    }

    @Test
    void creatingAnswersWithTheNewUnverifiedBankAccount() {
        fixture.givenNoPriorActivity()
                .when(create(null))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayloadMatching(payload(BankAccountResponse.class,
                        "a created, unverified BankAccountResponse for " + BANK_ACCOUNT_ID,
                        response -> BANK_ACCOUNT_ID.equals(response.id())
                                && ACCOUNT_ID.equals(response.accountId())
                                && NUMBER.equals(response.bankAccountNumber())
                                && NAME.equals(response.bankAccountName())
                                && BankAccountResponse.STATUS_CREATED.equals(response.status())
                                && !response.verified()
                                && !response.directDebitAuthorized()
                                && response.test() == null));
    }

    @Test
    void creatingClaimsTheNumberInTheRegistry() {
        fixture.givenNoPriorActivity()
                .when(create(null))
                .expectSuccessfulHandlerExecution();

        assertThat(registry.ownerOf(BANK_ACCOUNT_ID)).contains(ACCOUNT_ID);
    }

    @Test
    void aRefusalFromTheRegistryRecordsNothing() {
        registry.claim("another-bank-account", ACCOUNT_ID, NUMBER, false);

        fixture.givenNoPriorActivity()
                .when(create(AUTHORITY))
                .expectException(businessRule(ErrorCode.DUPLICATE_BANK_ACCOUNT))
                .expectNoEvents();
    }

    @Test
    void authorizingDirectDebitsRecordsTheAuthority() {
        fixture.given(created())
                .when(new AuthorizeDirectDebitCommand(BANK_ACCOUNT_ID, AUTHORITY))
                .expectEvents(authorized());
    }

    @Test
    void authorizingTwiceIsRefused() {
        fixture.given(created(), authorized())
                .when(new AuthorizeDirectDebitCommand(BANK_ACCOUNT_ID, AUTHORITY))
                .expectException(businessRule(ErrorCode.DIRECT_DEBIT_ALREADY_AUTHORIZED))
                .expectNoEvents();
    }

    @Test
    void aValidCodeVerifiesTheBankAccount() {
        fixture.given(created())
                .when(verify(RIGHT_CODE))
                .expectEvents(new BankAccountVerifiedEvent(BANK_ACCOUNT_ID, RIGHT_CODE))
                .expectResultMessagePayload(VerificationOutcome.VERIFIED);
    }

    @Test
    void aWrongCodeIsRecordedAsTheFirstFailedAttempt() {
        fixture.given(created())
                .when(verify(WRONG_CODE))
                .expectEvents(new BankAccountVerificationFailedEvent(BANK_ACCOUNT_ID, WRONG_CODE, 1,
                        VerificationOutcome.CODE_INVALID))
                .expectResultMessagePayload(VerificationOutcome.CODE_INVALID);
    }

    @Test
    void aCodeOfAnotherAccountsTransferIsRecordedAsAnAccountMismatch() {
        fixture.given(created())
                .when(verify(OTHER_ACCOUNT_CODE))
                .expectEvents(new BankAccountVerificationFailedEvent(BANK_ACCOUNT_ID, OTHER_ACCOUNT_CODE, 1,
                        VerificationOutcome.ACCOUNT_MISMATCH))
                .expectResultMessagePayload(VerificationOutcome.ACCOUNT_MISMATCH);
    }

    @Test
    void theThirdWrongCodeCountsThreeFailedAttempts() {
        fixture.given(created(), failed(1), failed(2))
                .when(verify(WRONG_CODE))
                .expectEvents(new BankAccountVerificationFailedEvent(BANK_ACCOUNT_ID, WRONG_CODE, 3,
                        VerificationOutcome.CODE_INVALID))
                .expectResultMessagePayload(VerificationOutcome.CODE_INVALID);
    }

    @Test
    void theRightCodeStillVerifiesAfterTwoFailedAttempts() {
        fixture.given(created(), failed(1), failed(2))
                .when(verify(RIGHT_CODE))
                .expectEvents(new BankAccountVerifiedEvent(BANK_ACCOUNT_ID, RIGHT_CODE))
                .expectResultMessagePayload(VerificationOutcome.VERIFIED);
    }

    @Test
    void afterThreeFailedAttemptsEvenTheRightCodeIsRefused() {
        fixture.given(created(), failed(1), failed(2), failed(3))
                .when(verify(RIGHT_CODE))
                .expectException(businessRule(ErrorCode.BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED))
                .expectNoEvents();
    }

    @Test
    void verifyingAVerifiedBankAccountIsRefused() {
        fixture.given(created(), new BankAccountVerifiedEvent(BANK_ACCOUNT_ID, RIGHT_CODE))
                .when(verify(RIGHT_CODE))
                .expectException(businessRule(ErrorCode.BANK_ACCOUNT_ALREADY_VERIFIED))
                .expectNoEvents();
    }

    private static CreateBankAccountCommand create(DirectDebitAuthority authority) {
        return new CreateBankAccountCommand(BANK_ACCOUNT_ID, ACCOUNT_ID, NUMBER, NAME, false, authority);
    }

    private static VerifyBankAccountCommand verify(String code) {
        return new VerifyBankAccountCommand(BANK_ACCOUNT_ID, code, VALID_CODES, OTHER_ACCOUNT_CODES);
    }

    private static BankAccountCreatedEvent created() {
        return new BankAccountCreatedEvent(BANK_ACCOUNT_ID, ACCOUNT_ID, NUMBER, NAME, false);
    }

    private static DirectDebitAuthorizedEvent authorized() {
        return new DirectDebitAuthorizedEvent(BANK_ACCOUNT_ID, AUTHORITY.phoneNumber(), AUTHORITY.fullName(),
                AUTHORITY.emailAddress());
    }

    private static BankAccountVerificationFailedEvent failed(int attempts) {
        return new BankAccountVerificationFailedEvent(BANK_ACCOUNT_ID, WRONG_CODE, attempts,
                VerificationOutcome.CODE_INVALID);
    }

    /** Refuses a number the same account already holds, as the real registry does. */
    private static final class InMemoryRegistry implements BankAccountRegistry {

        private final Map<String, RegisteredBankAccount> bankAccounts = new HashMap<>();

        @Override
        public void claim(String bankAccountId, String accountId, String bankAccountNumber, boolean test) {
            boolean duplicate = bankAccounts.values().stream().anyMatch(held ->
                    held.accountId().equals(accountId) && held.bankAccountNumber().equals(bankAccountNumber));
            if (duplicate) {
                throw new BusinessRuleException(ErrorCode.DUPLICATE_BANK_ACCOUNT);
            }
            bankAccounts.put(bankAccountId,
                    new RegisteredBankAccount(bankAccountId, accountId, bankAccountNumber, test, false, false));
        }

        @Override
        public Optional<RegisteredBankAccount> lock(String bankAccountId) {
            return Optional.ofNullable(bankAccounts.get(bankAccountId));
        }

        @Override
        public void markDirectDebitAuthorized(String bankAccountId) {
            bankAccounts.computeIfPresent(bankAccountId, (id, held) -> new RegisteredBankAccount(id,
                    held.accountId(), held.bankAccountNumber(), held.test(), true, held.verified()));
        }

        @Override
        public void markVerified(String bankAccountId) {
            bankAccounts.computeIfPresent(bankAccountId, (id, held) -> new RegisteredBankAccount(id,
                    held.accountId(), held.bankAccountNumber(), held.test(), held.directDebitAuthorized(), true));
        }

        @Override
        public Optional<String> findByAccountAndNumber(String accountId, String bankAccountNumber) {
            throw new UnsupportedOperationException("not used by this aggregate's commands");
        }

        @Override
        public Optional<String> ownerOf(String bankAccountId) {
            return lock(bankAccountId).map(RegisteredBankAccount::accountId);
        }
    }
}
