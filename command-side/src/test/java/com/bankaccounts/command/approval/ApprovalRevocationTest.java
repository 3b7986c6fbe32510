package com.bankaccounts.command.approval;

import static com.bankaccounts.command.PayloadMatchers.businessRule;

import com.bankaccounts.api.approval.ApprovalAcceptedEvent;
import com.bankaccounts.api.approval.ApprovalCompletedEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalRevokedEvent;
import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.approval.RevokeApprovalCommand;
import com.bankaccounts.api.common.ErrorCode;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Revoking: only an approved consent (account or payment), once. */
class ApprovalRevocationTest {

    private static final String APPROVAL_ID = "DcTs3U38HdhfEqwF1GKoT3";
    private static final String BANK_ACCOUNT_ID = "WRhAxxWpTKb5U7pXyxQjjY";
    private static final String ACCOUNT_ID = "Jaim1Cu1Q55uooxSens6yk";

    private FixtureConfiguration<Approval> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Approval.class);
    }

    @Test
    void revokingAnApprovedAccountConsentRevokesItWithTheReason() {
        fixture.given(requested(ApprovalType.ACCOUNT_CONSENT, ApprovalStatus.PENDING), accepted())
                .when(new RevokeApprovalCommand(APPROVAL_ID, "customer asked"))
                .expectEvents(new ApprovalRevokedEvent(APPROVAL_ID, "customer asked"));
    }

    @Test
    void revokingAnApprovedPaymentConsentRevokesIt() {
        fixture.given(requested(ApprovalType.PAYMENT_CONSENT, ApprovalStatus.PENDING), accepted())
                .when(new RevokeApprovalCommand(APPROVAL_ID, null))
                .expectEvents(new ApprovalRevokedEvent(APPROVAL_ID, null));
    }

    @Test
    void revokingARevokedConsentIsRefused() {
        fixture.given(requested(ApprovalType.ACCOUNT_CONSENT, ApprovalStatus.PENDING), accepted(),
                        new ApprovalRevokedEvent(APPROVAL_ID, null))
                .when(new RevokeApprovalCommand(APPROVAL_ID, null))
                .expectException(businessRule(ErrorCode.APPROVAL_NOT_APPROVED))
                .expectNoEvents();
    }

    @Test
    void revokingAPendingConsentIsRefused() {
        fixture.given(requested(ApprovalType.PAYMENT_CONSENT, ApprovalStatus.PENDING))
                .when(new RevokeApprovalCommand(APPROVAL_ID, null))
                .expectException(businessRule(ErrorCode.APPROVAL_NOT_APPROVED))
                .expectNoEvents();
    }

    @Test
    void revokingAnApprovedSettlementIsRefused() {
        fixture.given(requested(ApprovalType.SETTLEMENT, ApprovalStatus.CREATED), accepted())
                .when(new RevokeApprovalCommand(APPROVAL_ID, null))
                .expectException(businessRule(ErrorCode.APPROVAL_NOT_REVOCABLE))
                .expectNoEvents();
    }

    @Test
    void revokingADoneConsentIsRefused() {
        fixture.given(requested(ApprovalType.ACCOUNT_CONSENT, ApprovalStatus.PENDING), accepted(),
                        new ApprovalCompletedEvent(APPROVAL_ID, null))
                .when(new RevokeApprovalCommand(APPROVAL_ID, null))
                .expectException(businessRule(ErrorCode.APPROVAL_NOT_APPROVED))
                .expectNoEvents();
    }

    private static ApprovalRequestedEvent requested(ApprovalType type, ApprovalStatus status) {
        return new ApprovalRequestedEvent(APPROVAL_ID, ACCOUNT_ID, BANK_ACCOUNT_ID, type, status,
                type == ApprovalType.SETTLEMENT ? "uooxSens6ykJaim1Cu1Q55" : null,
                type == ApprovalType.SETTLEMENT ? null : "k1:key:v1:cipher", null, null);
    }

    private static ApprovalAcceptedEvent accepted() {
        return new ApprovalAcceptedEvent(APPROVAL_ID, "consent confirmed by the provider");
    }
}
