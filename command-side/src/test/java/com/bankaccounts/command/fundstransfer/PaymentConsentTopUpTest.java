package com.bankaccounts.command.fundstransfer;

import static com.bankaccounts.command.PayloadMatchers.businessRule;
import static com.bankaccounts.command.PayloadMatchers.notFound;
import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.connectionintent.ConsentPeriodWindow;
import com.bankaccounts.api.fundstransfer.CreateFundsTransferCommand;
import com.bankaccounts.api.fundstransfer.FundsTransferCreatedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferType;
import com.bankaccounts.command.bankaccount.BankAccountRegistry.RegisteredBankAccount;
import com.bankaccounts.command.bankaccount.FakeBankAccountRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A top up under a payment consent: the consent's own bank account, active, and within its period's total. */
class PaymentConsentTopUpTest {

    private static final String FUNDS_TRANSFER_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private static final String BANK_ACCOUNT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final String OTHER_BANK_ACCOUNT_ID = "WRhAxxWpTKb5U7pXyxQjjY";
    private static final String ACCOUNT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    private static final String CONSENT_ID = "DcTs3U38HdhfEqwF1GKoT3";
    private static final Instant APPROVED_AT = Instant.now().minus(Duration.ofDays(3)).minusSeconds(3600);

    private FixtureConfiguration<FundsTransfer> fixture;
    private FakeBankAccountRegistry registry;
    private ConsentsInMemory consents;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(FundsTransfer.class);
        registry = new FakeBankAccountRegistry();
        consents = new ConsentsInMemory();
        fixture.registerInjectableResource(registry);
        fixture.registerInjectableResource(new FundsTransferCodes(null, Duration.ofDays(30)) {
            @Override
            String issue(String fundsTransferId, RegisteredBankAccount bankAccount, FundsTransferType type) {
                return "0427";
            }
        });
        fixture.registerInjectableResource(consents);
        registry.holds(new RegisteredBankAccount(BANK_ACCOUNT_ID, ACCOUNT_ID, "01-0902-0068389-000", true, true,
                false));
    }

    @Test
    void aTopUpWithinTheTotalCountsInTheCurrentPeriod() {
        consents.consent = consent(BANK_ACCOUNT_ID, ApprovalStatus.APPROVED, 1000L, null);
        Instant periodStart = ConsentPeriodWindow.of(ConsentPeriod.DAILY, APPROVED_AT, Instant.now()).start();

        fixture.givenNoPriorActivity()
                .when(topUp(600))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.payloadsMatching(
                        org.axonframework.test.matchers.Matchers.exactSequenceOf(
                                Matchers.equalTo(new FundsTransferCreatedEvent(FUNDS_TRANSFER_ID, ACCOUNT_ID,
                                        BANK_ACCOUNT_ID, FundsTransferType.TOPUP, 600, "0427", true, CONSENT_ID,
                                        periodStart)),
                                Matchers.anything(), org.axonframework.test.matchers.Matchers.andNoMore())));
        assertThat(consents.used).containsEntry(periodStart, 600L);
    }

    @Test
    void aTopUpOverWhatIsLeftIsRefused() {
        consents.consent = consent(BANK_ACCOUNT_ID, ApprovalStatus.APPROVED, 1000L, null);
        consents.used.put(ConsentPeriodWindow.of(ConsentPeriod.DAILY, APPROVED_AT, Instant.now()).start(), 500L);

        fixture.givenNoPriorActivity()
                .when(topUp(501))
                .expectException(businessRule(ErrorCode.PAYMENT_CONSENT_LIMIT_EXCEEDED))
                .expectNoEvents();
    }

    @Test
    void anotherBankAccountsConsentIsAnAccountMismatch() {
        consents.consent = consent(OTHER_BANK_ACCOUNT_ID, ApprovalStatus.APPROVED, 1000L, null);

        fixture.givenNoPriorActivity()
                .when(topUp(100))
                .expectException(businessRule(ErrorCode.ACCOUNT_MISMATCH))
                .expectNoEvents();
    }

    @Test
    void aRevokedConsentIsNotActive() {
        consents.consent = consent(BANK_ACCOUNT_ID, ApprovalStatus.REVOKED, 1000L, null);

        fixture.givenNoPriorActivity()
                .when(topUp(100))
                .expectException(businessRule(ErrorCode.PAYMENT_CONSENT_NOT_ACTIVE))
                .expectNoEvents();
    }

    @Test
    void aConsentPastItsExpiryIsNotActiveBeforeItsDeadlineFired() {
        consents.consent = consent(BANK_ACCOUNT_ID, ApprovalStatus.APPROVED, 1000L, Instant.now().minusSeconds(1));

        fixture.givenNoPriorActivity()
                .when(topUp(100))
                .expectException(businessRule(ErrorCode.PAYMENT_CONSENT_NOT_ACTIVE))
                .expectNoEvents();
    }

    @Test
    void anotherAccountsConsentIsNotFound() {
        consents.consent = new PaymentConsents.PaymentConsent(CONSENT_ID, "someone-else", BANK_ACCOUNT_ID,
                ApprovalType.PAYMENT_CONSENT, ApprovalStatus.APPROVED, APPROVED_AT, ConsentPeriod.DAILY, 1000L, null);

        fixture.givenNoPriorActivity()
                .when(topUp(100))
                .expectException(notFound(ErrorCode.APPROVAL_NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void periodsCountInAucklandTimeFromTheApproval() {
        Instant approved = Instant.parse("2026-01-31T02:30:00Z"); // 15:30 on 31 January in Auckland (NZDT)
        ConsentPeriodWindow month = ConsentPeriodWindow.of(ConsentPeriod.MONTHLY, approved,
                Instant.parse("2026-03-05T00:00:00Z"));
        assertThat(month.start()).isEqualTo(Instant.parse("2026-02-28T02:30:00Z"));
        assertThat(month.end()).isEqualTo(Instant.parse("2026-03-31T02:30:00Z"));
        // Daylight saving ends on 5 April 2026: the day still starts at 15:30 local time, now UTC+12.
        ConsentPeriodWindow day = ConsentPeriodWindow.of(ConsentPeriod.DAILY, approved,
                Instant.parse("2026-04-06T05:00:00Z"));
        assertThat(day.start()).isEqualTo(Instant.parse("2026-04-06T03:30:00Z"));
        assertThat(day.end()).isEqualTo(Instant.parse("2026-04-07T03:30:00Z"));
        ConsentPeriodWindow first = ConsentPeriodWindow.of(ConsentPeriod.FORTNIGHTLY, approved, approved);
        assertThat(first.start()).isEqualTo(approved);
    }

    private static CreateFundsTransferCommand topUp(long amount) {
        return new CreateFundsTransferCommand(FUNDS_TRANSFER_ID, BANK_ACCOUNT_ID, FundsTransferType.TOPUP, amount,
                ACCOUNT_ID, CONSENT_ID);
    }

    private static PaymentConsents.PaymentConsent consent(String bankAccountId, ApprovalStatus status, Long total,
                                                          Instant expiresAt) {
        return new PaymentConsents.PaymentConsent(CONSENT_ID, ACCOUNT_ID, bankAccountId,
                ApprovalType.PAYMENT_CONSENT, status, APPROVED_AT, ConsentPeriod.DAILY, total, expiresAt);
    }

    /** The registry's rule, over a map: the database's conditional update is tested over HTTP. */
    private static final class ConsentsInMemory extends PaymentConsents {

        private PaymentConsent consent;
        private final Map<Instant, Long> used = new HashMap<>();

        ConsentsInMemory() {
            super(null);
        }

        @Override
        public Optional<PaymentConsent> lock(String approvalId) {
            return Optional.ofNullable(consent).filter(found -> found.approvalId().equals(approvalId));
        }

        @Override
        public boolean use(String approvalId, Instant periodStart, long amount, Long total) {
            long now = used.getOrDefault(periodStart, 0L);
            if (total != null && now + amount > total) {
                return false;
            }
            used.put(periodStart, now + amount);
            return true;
        }
    }
}
