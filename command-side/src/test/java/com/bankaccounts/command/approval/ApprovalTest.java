package com.bankaccounts.command.approval;

import static com.bankaccounts.command.PayloadMatchers.businessRule;
import static com.bankaccounts.command.PayloadMatchers.notFound;
import static com.bankaccounts.command.PayloadMatchers.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;

import com.bankaccounts.api.approval.AcceptApprovalCommand;
import com.bankaccounts.api.approval.ApprovalAcceptedEvent;
import com.bankaccounts.api.approval.ApprovalActivity;
import com.bankaccounts.api.approval.ApprovalCompletedEvent;
import com.bankaccounts.api.approval.ApprovalDeclinedEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalResponse;
import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.approval.CompleteApprovalCommand;
import com.bankaccounts.api.approval.DeclineApprovalCommand;
import com.bankaccounts.api.approval.RequestApprovalCommand;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.command.bankaccount.BankAccountRegistry.RegisteredBankAccount;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import com.bankaccounts.platform.crypto.TokenCipher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApprovalTest {

    private static final String APPROVAL_ID = "DcTs3U38HdhfEqwF1GKoT3";
    private static final String BANK_ACCOUNT_ID = "WRhAxxWpTKb5U7pXyxQjjY";
    private static final String OTHER_BANK_ACCOUNT_ID = "5vpkxjn6z787LiAKCqwuf9";
    private static final String ACCOUNT_ID = "Jaim1Cu1Q55uooxSens6yk";
    private static final String OTHER_ACCOUNT_ID = "TEZiZWAtX6v1hJucU4fGKx";
    private static final String MEDIA_UPLOAD_ID = "uooxSens6ykJaim1Cu1Q55";
    private static final String REFRESH_TOKEN = "rt-plain";
    private static final String CONSENT_ID = "d24dbe-e2bc46ac-d924e38af112";
    private static final String OWNER_CRN = "crn:" + ACCOUNT_ID + ":api-key:MyApiKey";
    private static final String ADMIN_CRN = "crn::api-key:admin";

    private final TokenCipher cipher = new TokenCipher(new byte[32]);
    private FixtureConfiguration<Approval> fixture;
    private InMemoryBankAccounts bankAccounts;
    private InMemoryApprovals approvals;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Approval.class);
        bankAccounts = new InMemoryBankAccounts();
        approvals = new InMemoryApprovals();
        // As in the application: the caller's principal rides on the command and lands on every event.
        fixture.registerCommandHandlerInterceptor(new CorrelationDataInterceptor<>(
                new SimpleCorrelationDataProvider(AxonJdbcConfiguration.PRINCIPAL)));
        fixture.registerAnnotatedCommandHandler(new ApprovalRequestHandler(fixture.getRepository(), bankAccounts,
                approvals, cipher));
    }

    // Requesting

    @Test
    void aSettlementRequestIsCreated() {
        bankAccounts.holds(bankAccount(ACCOUNT_ID));

        fixture.givenNoPriorActivity()
                .when(settlementRequest(), principal(OWNER_CRN))
                .expectEvents(settlementRequested());
    }

    @Test
    void aSettlementRequestAnswersWithTheCreatedApprovalAndItsFirstActivity() {
        bankAccounts.holds(bankAccount(ACCOUNT_ID));

        fixture.givenNoPriorActivity()
                .when(settlementRequest(), principal(OWNER_CRN))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayloadMatching(payload(ApprovalResponse.class,
                        "a created settlement ApprovalResponse with one 'created' activity",
                        response -> APPROVAL_ID.equals(response.id())
                                && BANK_ACCOUNT_ID.equals(response.bankAccountId())
                                && ACCOUNT_ID.equals(response.accountId())
                                && "settlement".equals(response.type())
                                && "created".equals(response.status())
                                && MEDIA_UPLOAD_ID.equals(response.mediaUploadId())
                                && response.refreshToken() == null
                                && response.consentId() == null
                                && response.createdAt() != null
                                && response.createdAt().equals(response.modifiedAt())
                                && OWNER_CRN.equals(response.createdBy())
                                && OWNER_CRN.equals(response.modifiedBy())
                                && response.approvalActivities().size() == 1
                                && isActivity(response.approvalActivities().get(0), 1, "created", null, OWNER_CRN)
                                && response.approvalActivities().get(0).createdAt().equals(response.createdAt())));
    }

    @Test
    void aConsentRequestIsPending() {
        bankAccounts.holds(bankAccount(ACCOUNT_ID));

        fixture.givenNoPriorActivity()
                .when(consentRequest(ApprovalType.ACCOUNT_CONSENT))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        payload(ApprovalRequestedEvent.class, "a pending account-consent ApprovalRequestedEvent",
                                event -> APPROVAL_ID.equals(event.approvalId())
                                        && ACCOUNT_ID.equals(event.accountId())
                                        && BANK_ACCOUNT_ID.equals(event.bankAccountId())
                                        && event.type() == ApprovalType.ACCOUNT_CONSENT
                                        && event.status() == ApprovalStatus.PENDING
                                        && event.mediaUploadId() == null
                                        && CONSENT_ID.equals(event.consentId())),
                        andNoMore())));
    }

    @Test
    void aPaymentConsentRequestIsPendingToo() {
        bankAccounts.holds(bankAccount(ACCOUNT_ID));

        fixture.givenNoPriorActivity()
                .when(consentRequest(ApprovalType.PAYMENT_CONSENT))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        payload(ApprovalRequestedEvent.class, "a pending payment-consent ApprovalRequestedEvent",
                                event -> event.type() == ApprovalType.PAYMENT_CONSENT
                                        && event.status() == ApprovalStatus.PENDING),
                        andNoMore())));
    }

    @Test
    void theEventHoldsTheRefreshTokenOnlyEncrypted() {
        bankAccounts.holds(bankAccount(ACCOUNT_ID));

        fixture.givenNoPriorActivity()
                .when(consentRequest(ApprovalType.ACCOUNT_CONSENT))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        payload(ApprovalRequestedEvent.class,
                                "an ApprovalRequestedEvent whose refresh token is ciphertext of " + REFRESH_TOKEN,
                                event -> event.encryptedRefreshToken() != null
                                        && !event.encryptedRefreshToken().contains(REFRESH_TOKEN)
                                        && REFRESH_TOKEN.equals(cipher.decrypt(event.encryptedRefreshToken()))),
                        andNoMore())));
    }

    @Test
    void aConsentRequestAnswersWithThePlainRefreshToken() {
        bankAccounts.holds(bankAccount(ACCOUNT_ID));

        fixture.givenNoPriorActivity()
                .when(consentRequest(ApprovalType.ACCOUNT_CONSENT))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayloadMatching(payload(ApprovalResponse.class,
                        "a pending account-consent ApprovalResponse showing refresh token " + REFRESH_TOKEN,
                        response -> "pending".equals(response.status())
                                && "account-consent".equals(response.type())
                                && REFRESH_TOKEN.equals(response.refreshToken())
                                && CONSENT_ID.equals(response.consentId())
                                && response.mediaUploadId() == null
                                && response.approvalActivities().size() == 1
                                && isActivity(response.approvalActivities().get(0), 1, "pending", null, null)));
    }

    @Test
    void aSecondSettlementWhileOneAwaitsReviewIsRefused() {
        bankAccounts.holds(bankAccount(ACCOUNT_ID));
        approvals.settlementAwaitingReview(BANK_ACCOUNT_ID);

        fixture.givenNoPriorActivity()
                .when(settlementRequest())
                .expectException(businessRule(ErrorCode.APPROVAL_ALREADY_IN_PROGRESS))
                .expectNoEvents();
    }

    @Test
    void aSettlementAwaitingReviewOnAnotherBankAccountDoesNotBlock() {
        bankAccounts.holds(bankAccount(ACCOUNT_ID));
        approvals.settlementAwaitingReview(OTHER_BANK_ACCOUNT_ID);

        fixture.givenNoPriorActivity()
                .when(settlementRequest())
                .expectEvents(settlementRequested());
    }

    @Test
    void aConsentMayBeRequestedWhileASettlementAwaitsReview() {
        bankAccounts.holds(bankAccount(ACCOUNT_ID));
        approvals.settlementAwaitingReview(BANK_ACCOUNT_ID);

        fixture.givenNoPriorActivity()
                .when(consentRequest(ApprovalType.ACCOUNT_CONSENT))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        payload(ApprovalRequestedEvent.class, "a pending ApprovalRequestedEvent",
                                event -> event.status() == ApprovalStatus.PENDING),
                        andNoMore())));
    }

    @Test
    void aBankAccountOfAnotherAccountIsNotFound() {
        bankAccounts.holds(bankAccount(OTHER_ACCOUNT_ID));

        fixture.givenNoPriorActivity()
                .when(settlementRequest())
                .expectException(notFound(ErrorCode.BANK_ACCOUNT_NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void anUnknownBankAccountIsNotFound() {
        fixture.givenNoPriorActivity()
                .when(settlementRequest())
                .expectException(notFound(ErrorCode.BANK_ACCOUNT_NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void requestingLocksTheBankAccountItIsFor() {
        bankAccounts.holds(bankAccount(ACCOUNT_ID));

        fixture.givenNoPriorActivity()
                .when(settlementRequest())
                .expectSuccessfulHandlerExecution();

        assertThat(bankAccounts.locked).containsExactly(BANK_ACCOUNT_ID);
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

    // Activities

    @Test
    void activitiesAreNumberedInOrderThroughRequestAcceptAndComplete() {
        fixture.given(settlementRequested(), GenericEventMessage.asEventMessage(accepted())
                        .andMetaData(principal(ADMIN_CRN)))
                .when(new CompleteApprovalCommand(APPROVAL_ID, "Funds released"), principal(ADMIN_CRN))
                .expectSuccessfulHandlerExecution()
                .expectState(approval -> {
                    ApprovalResponse response = approval.toResponse(cipher);
                    assertThat(response.status()).isEqualTo("done");
                    assertThat(response.approvalActivities())
                            .extracting(ApprovalActivity::activityNumber, ApprovalActivity::activityType,
                                    ApprovalActivity::reason, ApprovalActivity::approvalId)
                            .containsExactly(
                                    tuple(1, "created", null, APPROVAL_ID),
                                    tuple(2, "approved", "All details match",
                                            APPROVAL_ID),
                                    tuple(3, "done", "Funds released", APPROVAL_ID));
                    assertThat(response.modifiedBy()).isEqualTo(ADMIN_CRN);
                    assertThat(response.approvalActivities().get(2).createdBy()).isEqualTo(ADMIN_CRN);
                    assertThat(response.approvalActivities().get(1).createdBy()).isEqualTo(ADMIN_CRN);
                });
    }

    @Test
    void aDeclineIsTheSecondActivityWithItsReason() {
        fixture.given(consentRequested())
                .when(new DeclineApprovalCommand(APPROVAL_ID, "Consent revoked"))
                .expectSuccessfulHandlerExecution()
                .expectState(approval -> {
                    ApprovalResponse response = approval.toResponse(cipher);
                    assertThat(response.status()).isEqualTo("declined");
                    assertThat(response.refreshToken()).isEqualTo(REFRESH_TOKEN);
                    assertThat(response.approvalActivities())
                            .extracting(ApprovalActivity::activityNumber, ApprovalActivity::activityType,
                                    ApprovalActivity::reason)
                            .containsExactly(
                                    tuple(1, "pending", null),
                                    tuple(2, "declined", "Consent revoked"));
                });
    }

    private static boolean isActivity(ApprovalActivity activity, int number, String type, String reason,
                                      String createdBy) {
        return activity.activityNumber() == number
                && APPROVAL_ID.equals(activity.approvalId())
                && type.equals(activity.activityType())
                && Objects.equals(reason, activity.reason())
                && activity.createdAt() != null
                && (createdBy == null || createdBy.equals(activity.createdBy()));
    }

    private static Map<String, Object> principal(String crn) {
        return Map.of(AxonJdbcConfiguration.PRINCIPAL, crn);
    }

    private static RequestApprovalCommand settlementRequest() {
        return new RequestApprovalCommand(APPROVAL_ID, ACCOUNT_ID, BANK_ACCOUNT_ID, ApprovalType.SETTLEMENT,
                MEDIA_UPLOAD_ID, null, null, null);
    }

    private static RequestApprovalCommand consentRequest(ApprovalType type) {
        return new RequestApprovalCommand(APPROVAL_ID, ACCOUNT_ID, BANK_ACCOUNT_ID, type, null, REFRESH_TOKEN,
                CONSENT_ID, null);
    }

    private static ApprovalRequestedEvent settlementRequested() {
        return new ApprovalRequestedEvent(APPROVAL_ID, ACCOUNT_ID, BANK_ACCOUNT_ID, ApprovalType.SETTLEMENT,
                ApprovalStatus.CREATED, MEDIA_UPLOAD_ID, null, null, null);
    }

    private ApprovalRequestedEvent consentRequested() {
        return new ApprovalRequestedEvent(APPROVAL_ID, ACCOUNT_ID, BANK_ACCOUNT_ID, ApprovalType.ACCOUNT_CONSENT,
                ApprovalStatus.PENDING, null, cipher.encrypt(REFRESH_TOKEN), CONSENT_ID, null);
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

    private static RegisteredBankAccount bankAccount(String accountId) {
        return new RegisteredBankAccount(BANK_ACCOUNT_ID, accountId, "12-1234-1234567-000", true, false, false);
    }

    /** Lookups only, recording which bank accounts were locked: requesting an approval must not change the registry. */
    private static final class InMemoryBankAccounts implements BankAccountRegistry {

        private final Map<String, RegisteredBankAccount> bankAccounts = new HashMap<>();
        private final List<String> locked = new ArrayList<>();

        void holds(RegisteredBankAccount bankAccount) {
            bankAccounts.put(bankAccount.bankAccountId(), bankAccount);
        }

        @Override
        public Optional<RegisteredBankAccount> lock(String bankAccountId) {
            locked.add(bankAccountId);
            return Optional.ofNullable(bankAccounts.get(bankAccountId));
        }

        @Override
        public Optional<String> findByAccountAndNumber(String accountId, String bankAccountNumber) {
            throw new UnsupportedOperationException("not used by this aggregate's commands");
        }

        @Override
        public Optional<String> ownerOf(String bankAccountId) {
            return Optional.ofNullable(bankAccounts.get(bankAccountId)).map(RegisteredBankAccount::accountId);
        }

        @Override
        public Claim claim(String bankAccountId, String accountId, String bankAccountNumber, boolean test) {
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

    /** Which bank accounts have a settlement approval awaiting review; never touches the database. */
    private static final class InMemoryApprovals extends ApprovalRegistry {

        private final Set<String> settlementsAwaitingReview = new HashSet<>();

        InMemoryApprovals() {
            super(null);
        }

        void settlementAwaitingReview(String bankAccountId) {
            settlementsAwaitingReview.add(bankAccountId);
        }

        @Override
        boolean hasSettlementAwaitingReview(String bankAccountId) {
            return settlementsAwaitingReview.contains(bankAccountId);
        }

        @Override
        void insert(String approvalId, String bankAccountId, String accountId, ApprovalType type,
                    ApprovalStatus status, Instant at) {
            throw new UnsupportedOperationException("insert: the registry updater, not the request, writes rows");
        }

        @Override
        void updateStatus(String approvalId, ApprovalStatus status, Instant at) {
            throw new UnsupportedOperationException("updateStatus");
        }

        @Override
        Optional<String> ownerOf(String approvalId) {
            throw new UnsupportedOperationException("ownerOf");
        }
    }
}
