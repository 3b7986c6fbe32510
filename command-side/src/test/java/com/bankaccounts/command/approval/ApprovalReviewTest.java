package com.bankaccounts.command.approval;

import static com.bankaccounts.command.PayloadMatchers.businessRule;

import com.bankaccounts.api.approval.AcceptApprovalCommand;
import com.bankaccounts.api.approval.ApprovalAcceptedEvent;
import com.bankaccounts.api.approval.ApprovalCompletedEvent;
import com.bankaccounts.api.approval.ApprovalDeclinedEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.approval.CompleteApprovalCommand;
import com.bankaccounts.api.approval.DeclineApprovalCommand;
import com.bankaccounts.api.common.ErrorCode;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The review state machine: accept and decline while awaiting review, complete once approved. */
class ApprovalReviewTest {

    private static final String APPROVAL_ID = "DcTs3U38HdhfEqwF1GKoT3";
    private static final String BANK_ACCOUNT_ID = "WRhAxxWpTKb5U7pXyxQjjY";
    private static final String ACCOUNT_ID = "Jaim1Cu1Q55uooxSens6yk";
    private static final String MEDIA_UPLOAD_ID = "uooxSens6ykJaim1Cu1Q55";

    private FixtureConfiguration<Approval> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Approval.class);
    }

    // Accepting

    @Test
    void acceptingACreatedApprovalApprovesItWithTheReason() {
        fixture.given(settlementRequested())
                .when(new AcceptApprovalCommand(APPROVAL_ID, "All details match"))
                .expectEvents(new ApprovalAcceptedEvent(APPROVAL_ID, "All details match"));
    }

    @Test
    void acceptingWithoutAReasonApprovesIt() {
        fixture.given(settlementRequested())
                .when(new AcceptApprovalCommand(APPROVAL_ID, null))
                .expectEvents(new ApprovalAcceptedEvent(APPROVAL_ID, null));
    }

    @Test
    void acceptingAPendingConsentApprovesIt() {
        fixture.given(consentRequested())
                .when(new AcceptApprovalCommand(APPROVAL_ID, "Consent confirmed"))
                .expectEvents(new ApprovalAcceptedEvent(APPROVAL_ID, "Consent confirmed"));
    }

    @Test
    void acceptingAnApprovedApprovalIsRefused() {
        fixture.given(settlementRequested(), accepted())
                .when(new AcceptApprovalCommand(APPROVAL_ID, "again"))
                .expectException(businessRule(ErrorCode.APPROVAL_ALREADY_REVIEWED))
                .expectNoEvents();
    }

    @Test
    void acceptingADeclinedApprovalIsRefused() {
        fixture.given(settlementRequested(), declined())
                .when(new AcceptApprovalCommand(APPROVAL_ID, "changed my mind"))
                .expectException(businessRule(ErrorCode.APPROVAL_ALREADY_REVIEWED))
                .expectNoEvents();
    }

    @Test
    void acceptingADoneApprovalIsRefused() {
        fixture.given(settlementRequested(), accepted(), completed())
                .when(new AcceptApprovalCommand(APPROVAL_ID, null))
                .expectException(businessRule(ErrorCode.APPROVAL_ALREADY_REVIEWED))
                .expectNoEvents();
    }

    // Declining

    @Test
    void decliningACreatedApprovalDeclinesIt() {
        fixture.given(settlementRequested())
                .when(new DeclineApprovalCommand(APPROVAL_ID, "Name does not match"))
                .expectEvents(new ApprovalDeclinedEvent(APPROVAL_ID, "Name does not match"));
    }

    @Test
    void decliningAPendingConsentDeclinesIt() {
        fixture.given(consentRequested())
                .when(new DeclineApprovalCommand(APPROVAL_ID, "Consent revoked"))
                .expectEvents(new ApprovalDeclinedEvent(APPROVAL_ID, "Consent revoked"));
    }

    @Test
    void decliningAnApprovedApprovalIsRefused() {
        fixture.given(settlementRequested(), accepted())
                .when(new DeclineApprovalCommand(APPROVAL_ID, "too late"))
                .expectException(businessRule(ErrorCode.APPROVAL_ALREADY_REVIEWED))
                .expectNoEvents();
    }

    @Test
    void decliningADeclinedApprovalIsRefused() {
        fixture.given(settlementRequested(), declined())
                .when(new DeclineApprovalCommand(APPROVAL_ID, "again"))
                .expectException(businessRule(ErrorCode.APPROVAL_ALREADY_REVIEWED))
                .expectNoEvents();
    }

    @Test
    void decliningADoneApprovalIsRefused() {
        fixture.given(settlementRequested(), accepted(), completed())
                .when(new DeclineApprovalCommand(APPROVAL_ID, "too late"))
                .expectException(businessRule(ErrorCode.APPROVAL_ALREADY_REVIEWED))
                .expectNoEvents();
    }

    // Completing

    @Test
    void completingAnApprovedApprovalMakesItDone() {
        fixture.given(settlementRequested(), accepted())
                .when(new CompleteApprovalCommand(APPROVAL_ID, "Funds released"))
                .expectEvents(new ApprovalCompletedEvent(APPROVAL_ID, "Funds released"));
    }

    @Test
    void completingACreatedApprovalIsRefused() {
        fixture.given(settlementRequested())
                .when(new CompleteApprovalCommand(APPROVAL_ID, null))
                .expectException(businessRule(ErrorCode.APPROVAL_NOT_APPROVED))
                .expectNoEvents();
    }

    @Test
    void completingAPendingApprovalIsRefused() {
        fixture.given(consentRequested())
                .when(new CompleteApprovalCommand(APPROVAL_ID, null))
                .expectException(businessRule(ErrorCode.APPROVAL_NOT_APPROVED))
                .expectNoEvents();
    }

    @Test
    void completingADeclinedApprovalIsRefused() {
        fixture.given(settlementRequested(), declined())
                .when(new CompleteApprovalCommand(APPROVAL_ID, null))
                .expectException(businessRule(ErrorCode.APPROVAL_NOT_APPROVED))
                .expectNoEvents();
    }

    @Test
    void completingADoneApprovalIsRefused() {
        fixture.given(settlementRequested(), accepted(), completed())
                .when(new CompleteApprovalCommand(APPROVAL_ID, null))
                .expectException(businessRule(ErrorCode.APPROVAL_NOT_APPROVED))
                .expectNoEvents();
    }

    private static ApprovalRequestedEvent settlementRequested() {
        return new ApprovalRequestedEvent(APPROVAL_ID, ACCOUNT_ID, BANK_ACCOUNT_ID, ApprovalType.SETTLEMENT,
                ApprovalStatus.CREATED, MEDIA_UPLOAD_ID, null, null, null);
    }

    private static ApprovalRequestedEvent consentRequested() {
        return new ApprovalRequestedEvent(APPROVAL_ID, ACCOUNT_ID, BANK_ACCOUNT_ID, ApprovalType.ACCOUNT_CONSENT,
                ApprovalStatus.PENDING, null, "v1:ciphertext", "d24dbe-e2bc46ac-d924e38af112", null);
    }

    private static ApprovalAcceptedEvent accepted() {
        return new ApprovalAcceptedEvent(APPROVAL_ID, "All details match");
    }

    private static ApprovalDeclinedEvent declined() {
        return new ApprovalDeclinedEvent(APPROVAL_ID, "Name does not match");
    }

    private static ApprovalCompletedEvent completed() {
        return new ApprovalCompletedEvent(APPROVAL_ID, "Funds released");
    }
}
