package com.bankaccounts.command.connectionintent;

import static com.bankaccounts.command.PayloadMatchers.businessRule;
import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.connectionintent.ConnectionIntentAuthorizedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentFailedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.connectionintent.CreateConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.api.connectionintent.PendingAuthorization;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionIntentTest {

    private static final String INTENT_ID = "3KVjuKW2CZCJeJVqPxwkX7";
    private static final String ACCOUNT_ID = "B4u4WZCu3joZFVWT3XjWW3";
    private static final String BANK_ACCOUNT_ID = "WRhAxxWpTKb5U7pXyxQjjY";
    private static final String APPROVAL_ID = "DcTs3U38HdhfEqwF1GKoT3";
    private static final String CONSENT_ID = "d24dbe-e2bc46ac-d924e38af112";
    private static final String STATE = "k8f3-state-9Qz";
    private static final String ENCRYPTED_VERIFIER = "ciphertext-of-the-verifier";
    private static final String AUTHORIZATION_URL = "https://provider.example/authorize?state=" + STATE;
    private static final String REDIRECT_URI = "https://app.example/callback";
    private static final String BASE_URL = "http://localhost:8080";
    private static final String OWNER_CRN = "crn:" + ACCOUNT_ID + ":api-key:MyApiKey";
    private static final String ADMIN_CRN = "crn::api-key:admin";
    private static final PaymentConsentTerms TERMS =
            new PaymentConsentTerms("Weekly groceries", ConsentPeriod.WEEKLY, 150_000L);

    private FixtureConfiguration<ConnectionIntent> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ConnectionIntent.class);
    }

    // Creating

    @Test
    void aLiveIntentForALiveAccountIsCreated() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(accountInformation(false), false, null))
                .expectEvents(created(accountInformation(false)));
    }

    @Test
    void aTestIntentForATestAccountIsCreated() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(accountInformation(true), true, null))
                .expectEvents(created(accountInformation(true)));
    }

    @Test
    void aLivePaymentConsentForALiveBankAccountIsCreated() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(paymentConsent(false), false, false))
                .expectEvents(created(paymentConsent(false)));
    }

    @Test
    void aTestPaymentConsentForATestBankAccountIsCreated() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(paymentConsent(true), true, true))
                .expectEvents(created(paymentConsent(true)));
    }

    @Test
    void aTestIntentForALiveAccountIsALivenessMismatch() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(accountInformation(true), false, null))
                .expectException(businessRule(ErrorCode.LIVENESS_MISMATCH))
                .expectNoEvents();
    }

    @Test
    void aLiveIntentForATestAccountIsALivenessMismatch() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(accountInformation(false), true, null))
                .expectException(businessRule(ErrorCode.LIVENESS_MISMATCH))
                .expectNoEvents();
    }

    @Test
    void aTestIntentForALiveBankAccountIsALivenessMismatch() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(paymentConsent(true), true, false))
                .expectException(businessRule(ErrorCode.LIVENESS_MISMATCH))
                .expectNoEvents();
    }

    @Test
    void aLiveIntentForATestBankAccountIsALivenessMismatch() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(paymentConsent(false), false, true))
                .expectException(businessRule(ErrorCode.LIVENESS_MISMATCH))
                .expectNoEvents();
    }

    // Authorizing

    @Test
    void authorizingACreatedIntentAuthorizesIt() {
        fixture.given(created(accountInformation(false)))
                .whenInvoking(INTENT_ID, intent -> intent.authorized(CONSENT_ID, List.of(BANK_ACCOUNT_ID),
                        List.of(APPROVAL_ID)))
                .expectEvents(new ConnectionIntentAuthorizedEvent(INTENT_ID, CONSENT_ID, List.of(BANK_ACCOUNT_ID),
                        List.of(APPROVAL_ID)));
    }

    @Test
    void authorizingAnAuthorizedIntentIsRefused() {
        fixture.given(created(accountInformation(false)), authorized())
                .whenInvoking(INTENT_ID, intent -> intent.authorized(CONSENT_ID, List.of(BANK_ACCOUNT_ID),
                        List.of(APPROVAL_ID)))
                .expectException(businessRule(ErrorCode.CONNECTION_INTENT_ALREADY_AUTHORIZED))
                .expectNoEvents();
    }

    @Test
    void authorizingADoneBankAccountRequestIsRefusedInTheRequestsTerms() {
        fixture.given(created(legacyAccountInformation()), authorized())
                .whenInvoking(INTENT_ID, intent -> intent.authorized(CONSENT_ID, List.of(BANK_ACCOUNT_ID),
                        List.of(APPROVAL_ID)))
                .expectException(businessRule(ErrorCode.BANK_ACCOUNT_REQUEST_ALREADY_DONE))
                .expectNoEvents();
    }

    @Test
    void authorizingAFailedIntentIsRefused() {
        fixture.given(created(accountInformation(false)), failedEvent())
                .whenInvoking(INTENT_ID, intent -> intent.authorized(CONSENT_ID, List.of(BANK_ACCOUNT_ID),
                        List.of(APPROVAL_ID)))
                .expectException(businessRule(ErrorCode.CONNECTION_INTENT_FAILED))
                .expectNoEvents();
    }

    @Test
    void authorizingAFailedBankAccountRequestIsRefusedInTheRequestsTerms() {
        fixture.given(created(legacyAccountInformation()), failedEvent())
                .whenInvoking(INTENT_ID, intent -> intent.authorized(CONSENT_ID, List.of(BANK_ACCOUNT_ID),
                        List.of(APPROVAL_ID)))
                .expectException(businessRule(ErrorCode.BANK_ACCOUNT_REQUEST_FAILED))
                .expectNoEvents();
    }

    @Test
    void aPendingAuthorizationWithAnotherStateIsAStateMismatch() {
        fixture.given(created(accountInformation(false)))
                .whenInvoking(INTENT_ID, intent -> intent.pendingAuthorization("some-other-state"))
                .expectException(businessRule(ErrorCode.STATE_MISMATCH))
                .expectNoEvents();
    }

    @Test
    void aPendingAuthorizationWithTheIntentsStateCarriesWhatTheExchangeNeeds() {
        AtomicReference<PendingAuthorization> pending = new AtomicReference<>();

        fixture.given(created(paymentConsent(true)))
                .whenInvoking(INTENT_ID, intent -> pending.set(intent.pendingAuthorization(STATE)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(pending.get()).isEqualTo(new PendingAuthorization(INTENT_ID, ACCOUNT_ID,
                ConnectionIntentType.ENDURING_PAYMENT_CONSENT, true, BANK_ACCOUNT_ID, TERMS, REDIRECT_URI,
                ENCRYPTED_VERIFIER));
    }

    @Test
    void aPendingAuthorizationWithoutAStateIsAccepted() {
        AtomicReference<PendingAuthorization> pending = new AtomicReference<>();

        fixture.given(created(accountInformation(false)))
                .whenInvoking(INTENT_ID, intent -> pending.set(intent.pendingAuthorization(null)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(pending.get()).isNotNull();
        assertThat(pending.get().connectionIntentId()).isEqualTo(INTENT_ID);
    }

    @Test
    void aPendingAuthorizationOfAnAuthorizedIntentIsRefused() {
        fixture.given(created(accountInformation(false)), authorized())
                .whenInvoking(INTENT_ID, intent -> intent.pendingAuthorization(STATE))
                .expectException(businessRule(ErrorCode.CONNECTION_INTENT_ALREADY_AUTHORIZED))
                .expectNoEvents();
    }

    @Test
    void aPendingAuthorizationOfAFailedIntentIsRefused() {
        fixture.given(created(accountInformation(false)), failedEvent())
                .whenInvoking(INTENT_ID, intent -> intent.pendingAuthorization(STATE))
                .expectException(businessRule(ErrorCode.CONNECTION_INTENT_FAILED))
                .expectNoEvents();
    }

    // Failing

    @Test
    void failingACreatedIntentRecordsTheReason() {
        fixture.given(created(accountInformation(false)))
                .whenInvoking(INTENT_ID, intent -> intent.failed("invalid_grant"))
                .expectEvents(new ConnectionIntentFailedEvent(INTENT_ID, "invalid_grant"));
    }

    @Test
    void failingAnAuthorizedIntentIsRefused() {
        fixture.given(created(accountInformation(false)), authorized())
                .whenInvoking(INTENT_ID, intent -> intent.failed("invalid_grant"))
                .expectException(businessRule(ErrorCode.CONNECTION_INTENT_ALREADY_AUTHORIZED))
                .expectNoEvents();
    }

    @Test
    void failingAFailedIntentIsRefused() {
        fixture.given(created(accountInformation(false)), failedEvent())
                .whenInvoking(INTENT_ID, intent -> intent.failed("invalid_grant"))
                .expectException(businessRule(ErrorCode.CONNECTION_INTENT_FAILED))
                .expectNoEvents();
    }

    // The response

    @Test
    void aNewIntentIsShownCreatedWithWhatItWasCreatedWith() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(accountInformation(false), false, null))
                .expectState(intent -> {
                    ConnectionIntentResponse response = intent.toResponse();
                    assertThat(response.id()).isEqualTo(INTENT_ID);
                    assertThat(response.accountId()).isEqualTo(ACCOUNT_ID);
                    assertThat(response.type()).isEqualTo("account-information-consent");
                    assertThat(response.status()).isEqualTo("created");
                    assertThat(response.authorizationUrl()).isEqualTo(AUTHORIZATION_URL);
                    assertThat(response.redirectUri()).isEqualTo(REDIRECT_URI);
                    assertThat(response.bankAccountId()).isNull();
                    assertThat(response.createdAt()).isNotNull().isEqualTo(response.updatedAt());
                });
    }

    @Test
    void theTypeIsEchoedAsTheClientNamedIt() {
        CreateConnectionIntentCommand alias = new CreateConnectionIntentCommand(INTENT_ID, ACCOUNT_ID,
                ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, "quartz-accounts", false, false, null, null,
                null, BASE_URL);

        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(alias, false, null))
                .expectState(intent -> assertThat(intent.toResponse().type()).isEqualTo("quartz-accounts"));
    }

    @Test
    void aBankAccountRequestEchoesItsRequestType() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(legacyAccountInformation(), false, null))
                .expectState(intent -> assertThat(intent.toResponse().type()).isEqualTo("quartz-details"));
    }

    @Test
    void anAuthorizedIntentIsShownAuthorized() {
        fixture.given(created(accountInformation(false)))
                .whenInvoking(INTENT_ID, intent -> intent.authorized(CONSENT_ID, List.of(BANK_ACCOUNT_ID),
                        List.of(APPROVAL_ID)))
                .expectState(intent -> assertThat(intent.toResponse().status()).isEqualTo("authorized"));
    }

    @Test
    void anAuthorizedBankAccountRequestIsShownDone() {
        fixture.given(created(legacyAccountInformation()))
                .whenInvoking(INTENT_ID, intent -> intent.authorized(CONSENT_ID, List.of(BANK_ACCOUNT_ID),
                        List.of(APPROVAL_ID)))
                .expectState(intent -> assertThat(intent.toResponse().status()).isEqualTo("done"));
    }

    @Test
    void aFailedIntentIsShownFailed() {
        fixture.given(created(accountInformation(false)))
                .whenInvoking(INTENT_ID, intent -> intent.failed("invalid_grant"))
                .expectState(intent -> assertThat(intent.toResponse().status()).isEqualTo("failed"));
    }

    @Test
    void aFailedBankAccountRequestIsShownFailedToo() {
        fixture.given(created(legacyAccountInformation()))
                .whenInvoking(INTENT_ID, intent -> intent.failed("invalid_grant"))
                .expectState(intent -> assertThat(intent.toResponse().status()).isEqualTo("failed"));
    }

    @Test
    void aPaymentConsentShowsItsBankAccountAndTerms() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(paymentConsent(false), false, false))
                .expectState(intent -> {
                    ConnectionIntentResponse response = intent.toResponse();
                    assertThat(response.type()).isEqualTo("enduring-payment-consent");
                    assertThat(response.bankAccountId()).isEqualTo(BANK_ACCOUNT_ID);
                    assertThat(response.name()).isEqualTo("Weekly groceries");
                    assertThat(response.period()).isEqualTo("weekly");
                    assertThat(response.totalAmount()).isEqualTo("150000");
                });
    }

    @Test
    void aPaymentConsentWithoutANameOrTotalShowsOnlyItsPeriod() {
        CreateConnectionIntentCommand request = new CreateConnectionIntentCommand(INTENT_ID, ACCOUNT_ID,
                ConnectionIntentType.ENDURING_PAYMENT_CONSENT, "quartz-payment", true, false, BANK_ACCOUNT_ID,
                new PaymentConsentTerms(null, ConsentPeriod.DAILY, null), null, BASE_URL);

        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(request, false, false))
                .expectState(intent -> {
                    ConnectionIntentResponse response = intent.toResponse();
                    assertThat(response.name()).isNull();
                    assertThat(response.period()).isEqualTo("daily");
                    assertThat(response.totalAmount()).isNull();
                });
    }

    @Test
    void anAccountInformationConsentShowsNoPaymentTerms() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(accountInformation(false), false, null))
                .expectState(intent -> {
                    ConnectionIntentResponse response = intent.toResponse();
                    assertThat(response.name()).isNull();
                    assertThat(response.period()).isNull();
                    assertThat(response.totalAmount()).isNull();
                });
    }

    @Test
    void aTestIntentIsFlaggedTest() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(accountInformation(true), true, null))
                .expectState(intent -> assertThat(intent.toResponse().test()).isTrue());
    }

    @Test
    void aLiveIntentLeavesTheTestFlagOut() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> construct(accountInformation(false), false, null))
                .expectState(intent -> assertThat(intent.toResponse().test()).isNull());
    }

    @Test
    void createdAndUpdatedTellWhoChangedTheIntentAndWhen() {
        Instant createdAt = Instant.parse("2022-03-31T02:56:29.713Z");
        Instant authorizedAt = Instant.parse("2022-03-31T03:01:02.345Z");

        fixture.givenCurrentTime(createdAt)
                .andGiven(GenericEventMessage.asEventMessage(created(accountInformation(false)))
                        .andMetaData(principal(OWNER_CRN)))
                .andGivenCurrentTime(authorizedAt)
                .andGiven(GenericEventMessage.asEventMessage(authorized()).andMetaData(principal(ADMIN_CRN)))
                .whenInvoking(INTENT_ID, intent -> {
                })
                .expectState(intent -> {
                    ConnectionIntentResponse response = intent.toResponse();
                    assertThat(response.createdAt()).isEqualTo("2022-03-31T02:56:29.713Z");
                    assertThat(response.createdBy()).isEqualTo(OWNER_CRN);
                    assertThat(response.updatedAt()).isEqualTo("2022-03-31T03:01:02.345Z");
                    assertThat(response.updatedBy()).isEqualTo(ADMIN_CRN);
                });
    }

    private static ConnectionIntent construct(CreateConnectionIntentCommand command, boolean accountTest,
                                              Boolean bankAccountTest) {
        return new ConnectionIntent(command, accountTest, bankAccountTest, STATE, ENCRYPTED_VERIFIER,
                AUTHORIZATION_URL);
    }

    private static CreateConnectionIntentCommand accountInformation(boolean test) {
        return new CreateConnectionIntentCommand(INTENT_ID, ACCOUNT_ID,
                ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, "account-information-consent", false, test, null,
                null, REDIRECT_URI, BASE_URL);
    }

    private static CreateConnectionIntentCommand legacyAccountInformation() {
        return new CreateConnectionIntentCommand(INTENT_ID, ACCOUNT_ID,
                ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, "quartz-details", true, false, null, null, null,
                BASE_URL);
    }

    private static CreateConnectionIntentCommand paymentConsent(boolean test) {
        return new CreateConnectionIntentCommand(INTENT_ID, ACCOUNT_ID,
                ConnectionIntentType.ENDURING_PAYMENT_CONSENT, "enduring-payment-consent", false, test,
                BANK_ACCOUNT_ID, TERMS, REDIRECT_URI, BASE_URL);
    }

    private static ConnectionIntentCreatedEvent created(CreateConnectionIntentCommand command) {
        return new ConnectionIntentCreatedEvent(command.connectionIntentId(), command.accountId(), command.type(),
                command.requestedType(), command.legacyRequest(), command.test(), command.bankAccountId(),
                command.paymentTerms(), command.redirectUri(), STATE, ENCRYPTED_VERIFIER, AUTHORIZATION_URL);
    }

    private static ConnectionIntentAuthorizedEvent authorized() {
        return new ConnectionIntentAuthorizedEvent(INTENT_ID, CONSENT_ID, List.of(BANK_ACCOUNT_ID),
                List.of(APPROVAL_ID));
    }

    private static ConnectionIntentFailedEvent failedEvent() {
        return new ConnectionIntentFailedEvent(INTENT_ID, "invalid_grant");
    }

    private static Map<String, Object> principal(String crn) {
        return Map.of(AxonJdbcConfiguration.PRINCIPAL, crn);
    }
}
