package com.bankaccounts.command.approval;

import static com.bankaccounts.command.PayloadMatchers.businessRule;

import com.bankaccounts.api.approval.ApprovalAcceptedEvent;
import com.bankaccounts.api.approval.ApprovalExpiredEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalRevokedEvent;
import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.approval.CompleteApprovalCommand;
import com.bankaccounts.api.approval.RevokeApprovalCommand;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.command.approval.ApprovalRequestTest.ConsentGrants;
import com.bankaccounts.command.approval.ApprovalRequestTest.GrantConsent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Expiry: a consent granted with an expiry has a deadline then, and expires at it unless it ended before. */
class ApprovalExpiryTest {

    private static final String APPROVAL_ID = "DcTs3U38HdhfEqwF1GKoT3";
    private static final PaymentConsentTerms TERMS = new PaymentConsentTerms("Rent", ConsentPeriod.WEEKLY, 50000L);

    private FixtureConfiguration<Approval> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Approval.class);
        fixture.registerAnnotatedCommandHandler(new ConsentGrants(fixture.getRepository()));
    }

    @Test
    void aConsentWithAnExpiryHasItsDeadlineThen() {
        Instant expiresAt = Instant.now().plus(Duration.ofDays(90));
        fixture.givenNoPriorActivity()
                .when(new GrantConsent(ApprovalType.ACCOUNT_CONSENT, null, expiresAt))
                .expectScheduledDeadlineWithName(expiresAt, Approval.EXPIRY_DEADLINE);
    }

    @Test
    void aConsentWithoutAnExpiryHasNoDeadline() {
        fixture.givenNoPriorActivity()
                .when(new GrantConsent(ApprovalType.PAYMENT_CONSENT, TERMS, null))
                .expectNoScheduledDeadlines();
    }

    @Test
    void atItsExpiryAnApprovedConsentExpires() {
        fixture.givenCommands(new GrantConsent(ApprovalType.PAYMENT_CONSENT, TERMS,
                        Instant.now().plus(Duration.ofDays(1))))
                .whenThenTimeElapses(Duration.ofDays(2))
                .expectEvents(new ApprovalExpiredEvent(APPROVAL_ID, Approval.CONSENT_EXPIRED));
    }

    @Test
    void beforeItsExpiryNothingHappens() {
        fixture.givenCommands(new GrantConsent(ApprovalType.ACCOUNT_CONSENT, null,
                        Instant.now().plus(Duration.ofDays(3))))
                .whenThenTimeElapses(Duration.ofDays(2))
                .expectNoEvents();
    }

    /** The commands that end a consent before its expiry: revoke, complete. */
    static List<Object> endings() {
        return List.of(new RevokeApprovalCommand(APPROVAL_ID, null), new CompleteApprovalCommand(APPROVAL_ID, null));
    }

    /**
     * Ending a consent leaves the deadline where it is (cancelling it by scope reads every consent's deadline): it
     * fires at the expiry and finds the consent ended.
     */
    @ParameterizedTest
    @MethodSource("endings")
    void anEndedConsentKeepsItsDeadline(Object ending) {
        Instant expiresAt = Instant.now().plus(Duration.ofDays(1));
        fixture.givenCommands(new GrantConsent(ApprovalType.ACCOUNT_CONSENT, null, expiresAt))
                .when(ending)
                .expectScheduledDeadlineWithName(expiresAt, Approval.EXPIRY_DEADLINE);
    }

    @ParameterizedTest
    @MethodSource("endings")
    void anEndedConsentsDeadlineFindsItEndedAndDoesNothing(Object ending) {
        Instant expiresAt = Instant.now().plus(Duration.ofDays(1));
        fixture.givenCommands(new GrantConsent(ApprovalType.ACCOUNT_CONSENT, null, expiresAt), ending)
                .whenThenTimeElapses(Duration.ofDays(2))
                .expectNoEvents();
    }

    @Test
    void aConsentThatEndedBeforeItsExpiryIsLeftAsItIs() {
        fixture.given(new ApprovalRequestedEvent(APPROVAL_ID, "Jaim1Cu1Q55uooxSens6yk", "WRhAxxWpTKb5U7pXyxQjjY",
                                ApprovalType.ACCOUNT_CONSENT, ApprovalStatus.PENDING, null, null, null, null),
                        new ApprovalAcceptedEvent(APPROVAL_ID, null), new ApprovalRevokedEvent(APPROVAL_ID, null))
                .whenInvoking(APPROVAL_ID, approval -> approval.on(new ConsentExpiryDue(APPROVAL_ID)))
                .expectNoEvents();
    }

    /** Past its expiry, before its deadline has fired, a consent is no longer approved: no revocation. */
    @Test
    void aConsentPastItsExpiryCannotBeRevoked() {
        fixture.givenCurrentTime(NOW)
                .andGiven(grantedUntil(NOW.minusSeconds(1)), new ApprovalAcceptedEvent(APPROVAL_ID, null))
                .when(new RevokeApprovalCommand(APPROVAL_ID, null))
                .expectException(businessRule(ErrorCode.APPROVAL_NOT_APPROVED))
                .expectNoEvents();
    }

    @Test
    void aConsentPastItsExpiryCannotBeCompleted() {
        fixture.givenCurrentTime(NOW)
                .andGiven(grantedUntil(NOW.minusSeconds(1)), new ApprovalAcceptedEvent(APPROVAL_ID, null))
                .when(new CompleteApprovalCommand(APPROVAL_ID, null))
                .expectException(businessRule(ErrorCode.APPROVAL_NOT_APPROVED))
                .expectNoEvents();
    }

    @Test
    void aConsentBeforeItsExpiryCanBeCompleted() {
        fixture.givenCurrentTime(NOW)
                .andGiven(grantedUntil(NOW.plusSeconds(1)), new ApprovalAcceptedEvent(APPROVAL_ID, null))
                .when(new CompleteApprovalCommand(APPROVAL_ID, null))
                .expectSuccessfulHandlerExecution();
    }

    /** The fixture's time while a command is handled; the consents below expire around it. */
    private static final Instant NOW = Instant.parse("2027-03-01T09:00:00Z");

    private static ApprovalRequestedEvent grantedUntil(Instant expiresAt) {
        return new ApprovalRequestedEvent(APPROVAL_ID, "Jaim1Cu1Q55uooxSens6yk", "WRhAxxWpTKb5U7pXyxQjjY",
                ApprovalType.PAYMENT_CONSENT, ApprovalStatus.PENDING, null, null, null, TERMS, expiresAt, null);
    }
}
