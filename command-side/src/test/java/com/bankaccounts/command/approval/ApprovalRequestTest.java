package com.bankaccounts.command.approval;

import static com.bankaccounts.command.PayloadMatchers.businessRule;
import static com.bankaccounts.command.PayloadMatchers.notFound;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.bankaccounts.api.approval.AcceptApprovalCommand;
import com.bankaccounts.api.approval.ApprovalAcceptedEvent;
import com.bankaccounts.api.approval.ApprovalCompletedEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.approval.CompleteApprovalCommand;
import com.bankaccounts.api.approval.RequestApprovalCommand;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.command.bankaccount.BankAccountRegistry.RegisteredBankAccount;
import com.bankaccounts.command.mediaupload.MediaUpload;
import com.bankaccounts.command.mediaupload.MediaUploadRepository;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.modelling.command.Repository;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * How approvals come to be: a settlement approval requested by its account (the rules of its creation handler, with
 * the registries and the uploads injected), and a consent approval granted through a connection intent.
 */
class ApprovalRequestTest {

    private static final String APPROVAL_ID = "DcTs3U38HdhfEqwF1GKoT3";
    private static final String BANK_ACCOUNT_ID = "WRhAxxWpTKb5U7pXyxQjjY";
    private static final String OTHER_BANK_ACCOUNT_ID = "5vpkxjn6z787LiAKCqwuf9";
    private static final String ACCOUNT_ID = "Jaim1Cu1Q55uooxSens6yk";
    private static final String OTHER_ACCOUNT_ID = "TEZiZWAtX6v1hJucU4fGKx";
    private static final String MEDIA_UPLOAD_ID = "uooxSens6ykJaim1Cu1Q55";
    private static final String ENCRYPTED_REFRESH_TOKEN = "v1:c2VhbGVkIHJlZnJlc2ggdG9rZW4=";
    private static final String CONSENT_ID = "d24dbe-e2bc46ac-d924e38af112";
    private static final String CONNECTION_INTENT_ID = "6ykJaim1Cu1Q55uooxSens";

    private FixtureConfiguration<Approval> fixture;
    private final BankAccountRegistry bankAccounts = mock(BankAccountRegistry.class);
    private final MediaUploadRepository mediaUploads = mock(MediaUploadRepository.class);
    private final ApprovalRegistry approvals = mock(ApprovalRegistry.class);

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Approval.class);
        fixture.registerInjectableResource(bankAccounts);
        fixture.registerInjectableResource(mediaUploads);
        fixture.registerInjectableResource(approvals);
        fixture.registerAnnotatedCommandHandler(new ConsentGrants(fixture.getRepository()));
        when(bankAccounts.lock(anyString())).thenReturn(Optional.empty());
        when(mediaUploads.findById(anyString())).thenReturn(Optional.empty());
    }

    // A settlement approval

    @Test
    void aSettlementRequestIsCreatedWithItsEvidence() {
        bankAccountOf(ACCOUNT_ID);
        uploadOf(ACCOUNT_ID);

        fixture.givenNoPriorActivity()
                .when(request())
                .expectEvents(settlementRequested())
                .expectResultMessagePayload(APPROVAL_ID);
    }

    @Test
    void aSecondSettlementWhileOneAwaitsReviewIsRefused() {
        bankAccountOf(ACCOUNT_ID);
        uploadOf(ACCOUNT_ID);
        when(approvals.hasSettlementAwaitingReview(BANK_ACCOUNT_ID)).thenReturn(true);

        fixture.givenNoPriorActivity()
                .when(request())
                .expectException(businessRule(ErrorCode.APPROVAL_ALREADY_IN_PROGRESS))
                .expectNoEvents();
    }

    @Test
    void aSettlementAwaitingReviewOnAnotherBankAccountDoesNotBlock() {
        bankAccountOf(ACCOUNT_ID);
        uploadOf(ACCOUNT_ID);
        when(approvals.hasSettlementAwaitingReview(OTHER_BANK_ACCOUNT_ID)).thenReturn(true);

        fixture.givenNoPriorActivity()
                .when(request())
                .expectEvents(settlementRequested());
    }

    @Test
    void theSettlementInProgressIsAskedWhileTheBankAccountIsLocked() {
        bankAccountOf(ACCOUNT_ID);
        uploadOf(ACCOUNT_ID);

        fixture.givenNoPriorActivity().when(request()).expectSuccessfulHandlerExecution();

        InOrder order = inOrder(bankAccounts, approvals);
        order.verify(bankAccounts).lock(BANK_ACCOUNT_ID);
        order.verify(approvals).hasSettlementAwaitingReview(BANK_ACCOUNT_ID);
    }

    @Test
    void requestingWritesNoRegistryRowItself() {
        bankAccountOf(ACCOUNT_ID);
        uploadOf(ACCOUNT_ID);

        fixture.givenNoPriorActivity().when(request()).expectSuccessfulHandlerExecution();

        verify(approvals, never()).insert(any(), any(), any(), any(), any(), any(), any(), any(), any(), any());
    }

    @Test
    void anUnknownBankAccountIsNotFound() {
        uploadOf(ACCOUNT_ID);

        fixture.givenNoPriorActivity()
                .when(request())
                .expectException(notFound(ErrorCode.BANK_ACCOUNT_NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void aBankAccountOfAnotherAccountIsNotFound() {
        bankAccountOf(OTHER_ACCOUNT_ID);
        uploadOf(ACCOUNT_ID);

        fixture.givenNoPriorActivity()
                .when(request())
                .expectException(notFound(ErrorCode.BANK_ACCOUNT_NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void anUnknownEvidenceUploadIsNotFound() {
        bankAccountOf(ACCOUNT_ID);

        fixture.givenNoPriorActivity()
                .when(request())
                .expectException(notFound(ErrorCode.MEDIA_UPLOAD_NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void anEvidenceUploadOfAnotherAccountIsNotFound() {
        bankAccountOf(ACCOUNT_ID);
        uploadOf(OTHER_ACCOUNT_ID);

        fixture.givenNoPriorActivity()
                .when(request())
                .expectException(notFound(ErrorCode.MEDIA_UPLOAD_NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void anUnknownBankAccountIsReportedBeforeASettlementInProgress() {
        uploadOf(ACCOUNT_ID);
        when(approvals.hasSettlementAwaitingReview(BANK_ACCOUNT_ID)).thenReturn(true);

        fixture.givenNoPriorActivity()
                .when(request())
                .expectException(notFound(ErrorCode.BANK_ACCOUNT_NOT_FOUND))
                .expectNoEvents();
    }

    // A consent approval, granted through a connection intent

    @Test
    void anApprovedConsentIsRequestedThenAcceptedByTheProvidersConfirmation() {
        fixture.givenNoPriorActivity()
                .when(new GrantConsent(ApprovalType.ACCOUNT_CONSENT, null))
                .expectEvents(consentRequested(ApprovalType.ACCOUNT_CONSENT, null), consentConfirmed());
    }

    @Test
    void anApprovedPaymentConsentKeepsItsTerms() {
        PaymentConsentTerms terms = new PaymentConsentTerms("Rent", ConsentPeriod.values()[0], 150000L);

        fixture.givenNoPriorActivity()
                .when(new GrantConsent(ApprovalType.PAYMENT_CONSENT, terms))
                .expectEvents(consentRequested(ApprovalType.PAYMENT_CONSENT, terms), consentConfirmed());
    }

    @Test
    void anApprovedConsentIsReviewedAlready() {
        fixture.given(consentRequested(ApprovalType.ACCOUNT_CONSENT, null), consentConfirmed())
                .when(new AcceptApprovalCommand(APPROVAL_ID, null))
                .expectException(businessRule(ErrorCode.APPROVAL_ALREADY_REVIEWED));
    }

    @Test
    void anApprovedConsentCanBeCompleted() {
        fixture.given(consentRequested(ApprovalType.ACCOUNT_CONSENT, null), consentConfirmed())
                .when(new CompleteApprovalCommand(APPROVAL_ID, "consent ended"))
                .expectEvents(new ApprovalCompletedEvent(APPROVAL_ID, "consent ended"));
    }

    private void bankAccountOf(String accountId) {
        when(bankAccounts.lock(BANK_ACCOUNT_ID)).thenReturn(Optional.of(
                new RegisteredBankAccount(BANK_ACCOUNT_ID, accountId, "12-1234-1234567-000", true, false, false)));
    }

    private void uploadOf(String accountId) {
        when(mediaUploads.findById(MEDIA_UPLOAD_ID)).thenReturn(Optional.of(new MediaUpload(MEDIA_UPLOAD_ID,
                accountId, "statement.pdf", "application/pdf", 1024, "ab", null, Instant.now(), "crn")));
    }

    private static RequestApprovalCommand request() {
        return new RequestApprovalCommand(APPROVAL_ID, ACCOUNT_ID, BANK_ACCOUNT_ID, MEDIA_UPLOAD_ID);
    }

    private static ApprovalRequestedEvent settlementRequested() {
        return new ApprovalRequestedEvent(APPROVAL_ID, ACCOUNT_ID, BANK_ACCOUNT_ID, ApprovalType.SETTLEMENT,
                ApprovalStatus.CREATED, MEDIA_UPLOAD_ID, null, null, null);
    }

    private static ApprovalRequestedEvent consentRequested(ApprovalType type, PaymentConsentTerms terms) {
        return new ApprovalRequestedEvent(APPROVAL_ID, ACCOUNT_ID, BANK_ACCOUNT_ID, type, ApprovalStatus.PENDING, null,
                ENCRYPTED_REFRESH_TOKEN, CONSENT_ID, terms, null, CONNECTION_INTENT_ID);
    }

    private static ApprovalAcceptedEvent consentConfirmed() {
        return new ApprovalAcceptedEvent(APPROVAL_ID, "consent confirmed by the provider");
    }

    /** Stands for the connection-intent flow, which creates approvals through the repository, not a command. */
    record GrantConsent(ApprovalType type, PaymentConsentTerms terms, Instant expiresAt) {

        GrantConsent(ApprovalType type, PaymentConsentTerms terms) {
            this(type, terms, null);
        }
    }

    static final class ConsentGrants {

        private final Repository<Approval> repository;

        ConsentGrants(Repository<Approval> repository) {
            this.repository = repository;
        }

        @CommandHandler
        void handle(GrantConsent grant, DeadlineManager deadlines) throws Exception {
            repository.newInstance(() -> Approval.approvedConsent(APPROVAL_ID, ACCOUNT_ID, BANK_ACCOUNT_ID,
                    grant.type(), ENCRYPTED_REFRESH_TOKEN, CONSENT_ID, grant.terms(), grant.expiresAt(),
                    CONNECTION_INTENT_ID, deadlines));
        }
    }
}
