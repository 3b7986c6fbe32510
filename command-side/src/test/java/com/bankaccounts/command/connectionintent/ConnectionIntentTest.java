package com.bankaccounts.command.connectionintent;

import static com.bankaccounts.command.PayloadMatchers.businessRule;
import static com.bankaccounts.command.PayloadMatchers.notFound;
import static com.bankaccounts.command.PayloadMatchers.payload;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.connectionintent.AuthorizationOutcome;
import com.bankaccounts.api.connectionintent.AuthorizeConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.ConnectedAccount;
import com.bankaccounts.api.connectionintent.ConnectionIntentAuthorizedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentDeclinedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentFailedEvent;
import com.bankaccounts.api.connectionintent.DeclineConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.connectionintent.CreateConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.FailConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.command.bankaccount.BankAccountLimits;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.command.bankaccount.BankAccountRegistry.RegisteredBankAccount;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.AuthorizationRequest;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProviders;
import com.bankaccounts.command.connectionintent.provider.Pkce;
import com.bankaccounts.command.connectionintent.provider.ProviderFailureException;
import com.bankaccounts.platform.account.Account;
import com.bankaccounts.platform.account.AccountRepository;
import com.bankaccounts.platform.crypto.TokenCipher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.axonframework.messaging.Message;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every command handler of the intent, run by the fixture with what it needs injected. */
class ConnectionIntentTest {

    private static final String INTENT_ID = "3KVjuKW2CZCJeJVqPxwkX7";
    private static final String ACCOUNT_ID = "B4u4WZCu3joZFVWT3XjWW3";
    private static final String OTHER_ACCOUNT_ID = "7HkqJ1xv5mC2dR9sT4wYzA";
    private static final String LIVE_ACCOUNT_ID = "LvAcc3joZFVWT3XjWW3B4u";
    private static final String BANK_ACCOUNT_ID = "WRhAxxWpTKb5U7pXyxQjjY";
    private static final String HELD_BANK_ACCOUNT_ID = "Hd5U7pXyxQjjYWRhAxxWpT";
    private static final String CONSENT_ID = "d24dbe-e2bc46ac-d924e38af112";
    private static final String STATE = "k8f3-state-9Qz";
    private static final String ENCRYPTED_REFRESH_TOKEN = "v1:ciphertext-of-the-refresh-token";
    private static final String AUTHORIZATION_URL = "https://provider.example/authorize";
    private static final String REDIRECT_URI = "https://app.example/callback";
    private static final String BASE_URL = "http://localhost:8080";
    private static final String HELD_NUMBER = "08-6523-1954512-001";
    private static final PaymentConsentTerms TERMS =
            new PaymentConsentTerms("Weekly groceries", ConsentPeriod.WEEKLY, 150_000L);

    private final TokenCipher cipher = new TokenCipher(new byte[32]);
    private final List<AuthorizationRequest> authorizationRequests = new ArrayList<>();
    private FixtureConfiguration<ConnectionIntent> fixture;
    private BankAccountRegistry bankAccounts;

    @BeforeEach
    void setUp() {
        AccountRepository accounts = mock(AccountRepository.class);
        when(accounts.findById(any())).thenReturn(Optional.empty());
        when(accounts.findById(ACCOUNT_ID)).thenReturn(Optional.of(account(ACCOUNT_ID, true)));
        when(accounts.findById(LIVE_ACCOUNT_ID)).thenReturn(Optional.of(account(LIVE_ACCOUNT_ID, false)));

        bankAccounts = mock(BankAccountRegistry.class);
        when(bankAccounts.lock(any())).thenReturn(Optional.empty());
        when(bankAccounts.lock(BANK_ACCOUNT_ID)).thenReturn(Optional.of(
                new RegisteredBankAccount(BANK_ACCOUNT_ID, ACCOUNT_ID, "01-0902-0068389-000", true, false, false)));
        when(bankAccounts.lock("LiveBankAccountOfLive01")).thenReturn(Optional.of(new RegisteredBankAccount(
                "LiveBankAccountOfLive01", LIVE_ACCOUNT_ID, "01-0902-0068389-000", false, false, false)));
        when(bankAccounts.lock("TestBankAccountOfLive01")).thenReturn(Optional.of(new RegisteredBankAccount(
                "TestBankAccountOfLive01", LIVE_ACCOUNT_ID, "01-0902-0068389-000", true, false, false)));
        when(bankAccounts.lock("LiveBankAccountOfTest01")).thenReturn(Optional.of(new RegisteredBankAccount(
                "LiveBankAccountOfTest01", ACCOUNT_ID, "01-0902-0068389-000", false, false, false)));
        when(bankAccounts.lock("BankAccountOfAnother01")).thenReturn(Optional.of(new RegisteredBankAccount(
                "BankAccountOfAnother01", OTHER_ACCOUNT_ID, "01-0902-0068389-000", true, false, false)));
        when(bankAccounts.findByAccountAndNumber(any(), any())).thenReturn(Optional.empty());
        when(bankAccounts.findByAccountAndNumber(ACCOUNT_ID, HELD_NUMBER)).thenReturn(Optional.of(HELD_BANK_ACCOUNT_ID));

        OpenBankingProvider provider = mock(OpenBankingProvider.class);
        when(provider.authorizationUrl(any())).thenAnswer(call -> {
            authorizationRequests.add(call.getArgument(0));
            return AUTHORIZATION_URL;
        });
        OpenBankingProviders providers = mock(OpenBankingProviders.class);
        when(providers.forIntent(true)).thenReturn(provider);
        when(providers.forIntent(false)).thenThrow(new BusinessRuleException(ErrorCode.LIVE_PROVIDER_NOT_CONFIGURED));

        fixture = new AggregateTestFixture<>(ConnectionIntent.class);
        fixture.registerInjectableResource(accounts);
        fixture.registerInjectableResource(bankAccounts);
        fixture.registerInjectableResource(providers);
        fixture.registerInjectableResource(cipher);
        fixture.registerInjectableResource(new BankAccountLimits(2, 2, 3));
    }

    // Creating

    @Test
    void aTestIntentForATestAccountIsCreatedWithItsStateVerifierAndTheProvidersUrl() {
        fixture.givenNoPriorActivity()
                .when(create(ACCOUNT_ID, ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, false, true, null, null))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(only(payload(ConnectionIntentCreatedEvent.class, "the created intent", event ->
                        event.connectionIntentId().equals(INTENT_ID) && event.accountId().equals(ACCOUNT_ID)
                                && event.type() == ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT
                                && event.requestedType().equals("account-information-consent")
                                && !event.legacyRequest() && event.test() && event.bankAccountId() == null
                                && event.paymentTerms() == null && REDIRECT_URI.equals(event.redirectUri())
                                && event.authorizationUrl().equals(AUTHORIZATION_URL)
                                && boundToTheProvidersRequest(event, false))));
    }

    @Test
    void aPaymentConsentForTheAccountsOwnBankAccountIsCreatedWithItsTerms() {
        fixture.givenNoPriorActivity()
                .when(create(ACCOUNT_ID, ConnectionIntentType.ENDURING_PAYMENT_CONSENT, false, true, BANK_ACCOUNT_ID,
                        TERMS))
                .expectEventsMatching(only(payload(ConnectionIntentCreatedEvent.class, "a payment consent", event ->
                        BANK_ACCOUNT_ID.equals(event.bankAccountId()) && TERMS.equals(event.paymentTerms())
                                && event.type() == ConnectionIntentType.ENDURING_PAYMENT_CONSENT
                                && boundToTheProvidersRequest(event, true))));
    }

    @Test
    void aBankAccountRequestTakesItsAccountsLiveness() {
        fixture.givenNoPriorActivity()
                .when(new CreateConnectionIntentCommand(INTENT_ID, ACCOUNT_ID,
                        ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, "quartz-details", true, null, null, null,
                        null, BASE_URL))
                .expectEventsMatching(only(payload(ConnectionIntentCreatedEvent.class, "a test bank account request",
                        event -> event.legacyRequest() && event.test()
                                && event.requestedType().equals("quartz-details"))));
    }

    @Test
    void anUnknownAccountIsNotFound() {
        fixture.givenNoPriorActivity()
                .when(create(OTHER_ACCOUNT_ID, ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, false, true, null,
                        null))
                .expectException(notFound(ErrorCode.ACCOUNT_NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void anUnknownBankAccountIsNotFound() {
        fixture.givenNoPriorActivity()
                .when(create(ACCOUNT_ID, ConnectionIntentType.ENDURING_PAYMENT_CONSENT, false, true,
                        "UnknownBankAccount0001", TERMS))
                .expectException(notFound(ErrorCode.BANK_ACCOUNT_NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void anotherAccountsBankAccountIsNotFound() {
        fixture.givenNoPriorActivity()
                .when(create(ACCOUNT_ID, ConnectionIntentType.ENDURING_PAYMENT_CONSENT, false, true,
                        "BankAccountOfAnother01", TERMS))
                .expectException(notFound(ErrorCode.BANK_ACCOUNT_NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void aTestIntentForALiveAccountIsALivenessMismatch() {
        fixture.givenNoPriorActivity()
                .when(create(LIVE_ACCOUNT_ID, ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, false, true, null,
                        null))
                .expectException(businessRule(ErrorCode.LIVENESS_MISMATCH))
                .expectNoEvents();
    }

    @Test
    void aLiveIntentForATestAccountIsALivenessMismatch() {
        fixture.givenNoPriorActivity()
                .when(create(ACCOUNT_ID, ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, false, false, null, null))
                .expectException(businessRule(ErrorCode.LIVENESS_MISMATCH))
                .expectNoEvents();
    }

    @Test
    void aTestIntentForALiveBankAccountIsALivenessMismatch() {
        fixture.givenNoPriorActivity()
                .when(create(ACCOUNT_ID, ConnectionIntentType.ENDURING_PAYMENT_CONSENT, false, true,
                        "LiveBankAccountOfTest01", TERMS))
                .expectException(businessRule(ErrorCode.LIVENESS_MISMATCH))
                .expectNoEvents();
    }

    @Test
    void aLiveIntentForATestBankAccountIsALivenessMismatch() {
        fixture.givenNoPriorActivity()
                .when(create(LIVE_ACCOUNT_ID, ConnectionIntentType.ENDURING_PAYMENT_CONSENT, false, false,
                        "TestBankAccountOfLive01", TERMS))
                .expectException(businessRule(ErrorCode.LIVENESS_MISMATCH))
                .expectNoEvents();
    }

    @Test
    void aLiveIntentWithoutALiveProviderIsRefused() {
        fixture.givenNoPriorActivity()
                .when(create(LIVE_ACCOUNT_ID, ConnectionIntentType.ENDURING_PAYMENT_CONSENT, false, false,
                        "LiveBankAccountOfLive01", TERMS))
                .expectException(businessRule(ErrorCode.LIVE_PROVIDER_NOT_CONFIGURED))
                .expectNoEvents();
    }

    // Authorizing

    @Test
    void anAccountInformationConsentLinksEachNumberOnceInNumberOrderReusingHeldBankAccounts() {
        fixture.given(created(ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, false, false))
                .when(authorize(STATE, ENCRYPTED_REFRESH_TOKEN, List.of(
                        new ConnectedAccount("26-2600-0320871-032", "  Savings  "),
                        new ConnectedAccount("0865231954512001", "Everyday"),
                        new ConnectedAccount("26-2600-0320871-32", "Savings again"))))
                .expectEventsMatching(only(payload(ConnectionIntentAuthorizedEvent.class, "the linked accounts",
                        event -> event.connectedAccounts().equals(List.of(
                                        new ConnectedAccount(HELD_NUMBER, "Everyday"),
                                        new ConnectedAccount("26-2600-0320871-032", "Savings")))
                                && event.bankAccountIds().size() == 2
                                && event.bankAccountIds().get(0).equals(HELD_BANK_ACCOUNT_ID)
                                && !event.bankAccountIds().get(1).equals(HELD_BANK_ACCOUNT_ID)
                                && new HashSet<>(event.approvalIds()).size() == 2
                                && event.accountId().equals(ACCOUNT_ID)
                                && event.type() == ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT
                                && Boolean.FALSE.equals(event.test())
                                && CONSENT_ID.equals(event.consentId())
                                && ENCRYPTED_REFRESH_TOKEN.equals(event.encryptedRefreshToken())
                                && event.paymentTerms() == null)));
    }

    /** More numbers than the account may hold are refused at once, before a look-up per number. */
    @Test
    void moreAccountsThanTheAccountMayHoldAreRefusedBeforeAnyLookUp() {
        fixture.given(created(ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, false, true))
                .when(authorize(STATE, ENCRYPTED_REFRESH_TOKEN, List.of(
                        new ConnectedAccount("12-3456-7654321-001", "One"),
                        new ConnectedAccount("12-3456-7654321-002", "Two"),
                        new ConnectedAccount("12-3456-7654321-003", "Three"))))
                .expectException(businessRule(ErrorCode.BANK_ACCOUNT_LIMIT_EXCEEDED))
                .expectNoEvents();
        verify(bankAccounts, never()).findByAccountAndNumber(any(), any());
    }

    @Test
    void aPaymentConsentGrantsOneApprovalOfItsBankAccountWithItsTerms() {
        fixture.given(created(ConnectionIntentType.ENDURING_PAYMENT_CONSENT, false, true))
                .when(authorize(STATE, ENCRYPTED_REFRESH_TOKEN, List.of()))
                .expectEventsMatching(only(payload(ConnectionIntentAuthorizedEvent.class, "one payment approval",
                        event -> event.bankAccountIds().equals(List.of(BANK_ACCOUNT_ID))
                                && event.approvalIds().size() == 1 && event.connectedAccounts().isEmpty()
                                && TERMS.equals(event.paymentTerms())
                                && event.type() == ConnectionIntentType.ENDURING_PAYMENT_CONSENT)));
    }

    @Test
    void aPaymentConsentWhoseEndHasComeFailsInsteadOfGrantingAnApproval() {
        ConnectionIntentCreatedEvent ended = withExpiry(Instant.now().minusSeconds(1));
        fixture.given(ended)
                .when(authorize(STATE, ENCRYPTED_REFRESH_TOKEN, List.of()))
                .expectResultMessagePayload(AuthorizationOutcome.CONSENT_EXPIRED)
                .expectEvents(new ConnectionIntentFailedEvent(INTENT_ID, ConnectionIntent.EXPIRED_BEFORE_AUTHORIZED));
        fixture.given(withExpiry(Instant.now().plusSeconds(60)))
                .when(authorize(STATE, ENCRYPTED_REFRESH_TOKEN, List.of()))
                .expectResultMessagePayload(AuthorizationOutcome.AUTHORIZED)
                .expectEventsMatching(only(payload(ConnectionIntentAuthorizedEvent.class, "authorized", e -> true)));
    }

    @Test
    void aProviderWithoutRefreshTokensStillAuthorizes() {
        fixture.given(created(ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, false, true))
                .when(authorize(STATE, null, List.of(new ConnectedAccount("12-3456-7654321-00", "Test account"))))
                .expectEventsMatching(only(payload(ConnectionIntentAuthorizedEvent.class, "no refresh token",
                        event -> event.encryptedRefreshToken() == null && event.bankAccountIds().size() == 1
                                && event.connectedAccounts().get(0).accountNumber().equals("12-3456-7654321-000"))));
    }

    @Test
    void aLiveNumberWithWrongCheckDigitsIsAMalformedProviderAnswer() {
        fixture.given(created(ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, false, false))
                .when(authorize(STATE, ENCRYPTED_REFRESH_TOKEN,
                        List.of(new ConnectedAccount("01-0902-0068388-000", "Everyday"))))
                .expectException(ProviderFailureException.class)
                .expectNoEvents();
    }

    @Test
    void authorizingWithoutAStateIsAccepted() {
        fixture.given(created(ConnectionIntentType.ENDURING_PAYMENT_CONSENT, false, true))
                .when(authorize(null, ENCRYPTED_REFRESH_TOKEN, List.of()))
                .expectEventsMatching(only(payload(ConnectionIntentAuthorizedEvent.class, "authorized", e -> true)));
    }

    @Test
    void authorizingWithAnotherStateIsAStateMismatch() {
        fixture.given(created(ConnectionIntentType.ENDURING_PAYMENT_CONSENT, false, true))
                .when(authorize("another-state", ENCRYPTED_REFRESH_TOKEN, List.of()))
                .expectException(businessRule(ErrorCode.STATE_MISMATCH))
                .expectNoEvents();
    }

    @Test
    void authorizingAnAuthorizedIntentIsRefused() {
        fixture.given(created(ConnectionIntentType.ENDURING_PAYMENT_CONSENT, false, true), authorized())
                .when(authorize(STATE, ENCRYPTED_REFRESH_TOKEN, List.of()))
                .expectException(businessRule(ErrorCode.CONNECTION_INTENT_ALREADY_AUTHORIZED))
                .expectNoEvents();
    }

    @Test
    void authorizingADoneBankAccountRequestIsRefusedInTheRequestsTerms() {
        fixture.given(created(ConnectionIntentType.ENDURING_PAYMENT_CONSENT, true, true), authorized())
                .when(authorize(STATE, ENCRYPTED_REFRESH_TOKEN, List.of()))
                .expectException(businessRule(ErrorCode.BANK_ACCOUNT_REQUEST_ALREADY_DONE))
                .expectNoEvents();
    }

    @Test
    void authorizingAFailedIntentIsRefused() {
        fixture.given(created(ConnectionIntentType.ENDURING_PAYMENT_CONSENT, false, true), failed())
                .when(authorize(STATE, ENCRYPTED_REFRESH_TOKEN, List.of()))
                .expectException(businessRule(ErrorCode.CONNECTION_INTENT_FAILED))
                .expectNoEvents();
    }

    @Test
    void authorizingAFailedBankAccountRequestIsRefusedInTheRequestsTerms() {
        fixture.given(created(ConnectionIntentType.ENDURING_PAYMENT_CONSENT, true, true), failed())
                .when(authorize(STATE, ENCRYPTED_REFRESH_TOKEN, List.of()))
                .expectException(businessRule(ErrorCode.BANK_ACCOUNT_REQUEST_FAILED))
                .expectNoEvents();
    }

    // Failing

    @Test
    void failingACreatedIntentRecordsTheReason() {
        fixture.given(created(ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, false, true))
                .when(new FailConnectionIntentCommand(INTENT_ID, "code refused"))
                .expectEvents(new ConnectionIntentFailedEvent(INTENT_ID, "code refused"));
    }

    @Test
    void failingAnAuthorizedIntentIsRefused() {
        fixture.given(created(ConnectionIntentType.ENDURING_PAYMENT_CONSENT, false, true), authorized())
                .when(new FailConnectionIntentCommand(INTENT_ID, "code refused"))
                .expectException(businessRule(ErrorCode.CONNECTION_INTENT_ALREADY_AUTHORIZED))
                .expectNoEvents();
    }

    @Test
    void failingAFailedIntentIsRefused() {
        fixture.given(created(ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, false, true), failed())
                .when(new FailConnectionIntentCommand(INTENT_ID, "code refused"))
                .expectException(businessRule(ErrorCode.CONNECTION_INTENT_FAILED))
                .expectNoEvents();
    }

    // Declining

    @Test
    void decliningACreatedIntentRecordsIt() {
        fixture.given(created(ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, false, true))
                .when(new DeclineConnectionIntentCommand(INTENT_ID, STATE, "access_denied"))
                .expectEvents(declined());
    }

    @Test
    void decliningWithAnotherStateIsAStateMismatch() {
        fixture.given(created(ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, false, true))
                .when(new DeclineConnectionIntentCommand(INTENT_ID, "another-state", "access_denied"))
                .expectException(businessRule(ErrorCode.STATE_MISMATCH))
                .expectNoEvents();
    }

    @Test
    void decliningAnAuthorizedIntentIsRefused() {
        fixture.given(created(ConnectionIntentType.ENDURING_PAYMENT_CONSENT, false, true), authorized())
                .when(new DeclineConnectionIntentCommand(INTENT_ID, null, "access_denied"))
                .expectException(businessRule(ErrorCode.CONNECTION_INTENT_ALREADY_AUTHORIZED))
                .expectNoEvents();
    }

    @Test
    void decliningADeclinedIntentIsRefused() {
        fixture.given(created(ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, false, true), declined())
                .when(new DeclineConnectionIntentCommand(INTENT_ID, null, "access_denied"))
                .expectException(businessRule(ErrorCode.CONNECTION_INTENT_DECLINED))
                .expectNoEvents();
    }

    @Test
    void authorizingADeclinedIntentIsRefused() {
        fixture.given(created(ConnectionIntentType.ENDURING_PAYMENT_CONSENT, false, true), declined())
                .when(authorize(STATE, ENCRYPTED_REFRESH_TOKEN, List.of()))
                .expectException(businessRule(ErrorCode.CONNECTION_INTENT_DECLINED))
                .expectNoEvents();
    }

    @Test
    void authorizingADeclinedBankAccountRequestIsRefusedAsFailed() {
        fixture.given(created(ConnectionIntentType.ENDURING_PAYMENT_CONSENT, true, true), declined())
                .when(authorize(STATE, ENCRYPTED_REFRESH_TOKEN, List.of()))
                .expectException(businessRule(ErrorCode.BANK_ACCOUNT_REQUEST_FAILED))
                .expectNoEvents();
    }

    /** The event's state and (decrypted) verifier are the ones whose challenge the provider was given. */
    private boolean boundToTheProvidersRequest(ConnectionIntentCreatedEvent event, boolean paymentConsent) {
        AuthorizationRequest request = authorizationRequests.get(authorizationRequests.size() - 1);
        return request.connectionIntentId().equals(INTENT_ID) && request.state().equals(event.state())
                && request.codeChallenge().equals(Pkce.challengeOf(cipher.decrypt(event.encryptedCodeVerifier())))
                && !event.encryptedCodeVerifier().contains(request.state())
                && request.paymentConsent() == paymentConsent && BASE_URL.equals(request.baseUrl());
    }

    private static Matcher<List<Message<?>>> only(Matcher<?> event) {
        return payloadsMatching(exactSequenceOf(event, andNoMore()));
    }

    private static Account account(String id, boolean test) {
        return new Account(id, "Account", test, Instant.EPOCH, "crn::api-key:admin");
    }

    private static CreateConnectionIntentCommand create(String accountId, ConnectionIntentType type, boolean legacy,
                                                        boolean test, String bankAccountId,
                                                        PaymentConsentTerms terms) {
        String requestedType = type == ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT
                ? "account-information-consent" : "enduring-payment-consent";
        return new CreateConnectionIntentCommand(INTENT_ID, accountId, type, requestedType, legacy, test,
                bankAccountId, terms, REDIRECT_URI, BASE_URL);
    }

    private static AuthorizeConnectionIntentCommand authorize(String state, String encryptedRefreshToken,
                                                              List<ConnectedAccount> accounts) {
        return new AuthorizeConnectionIntentCommand(INTENT_ID, state, encryptedRefreshToken, CONSENT_ID, accounts);
    }

    private static ConnectionIntentCreatedEvent created(ConnectionIntentType type, boolean legacy, boolean test) {
        boolean payment = type == ConnectionIntentType.ENDURING_PAYMENT_CONSENT;
        return new ConnectionIntentCreatedEvent(INTENT_ID, ACCOUNT_ID, type, payment ? "enduring-payment-consent"
                : "account-information-consent", legacy, test, payment ? BANK_ACCOUNT_ID : null,
                payment ? TERMS : null, REDIRECT_URI, STATE, "v1:encrypted-verifier", AUTHORIZATION_URL, REDIRECT_URI);
    }

    private static ConnectionIntentCreatedEvent withExpiry(Instant expiresAt) {
        ConnectionIntentCreatedEvent created = created(ConnectionIntentType.ENDURING_PAYMENT_CONSENT, false, true);
        return new ConnectionIntentCreatedEvent(INTENT_ID, ACCOUNT_ID, created.type(), created.requestedType(), false,
                true, BANK_ACCOUNT_ID, new PaymentConsentTerms(TERMS.name(), TERMS.period(), TERMS.totalAmount(),
                expiresAt), REDIRECT_URI, STATE, "v1:encrypted-verifier", AUTHORIZATION_URL, REDIRECT_URI);
    }

    private static ConnectionIntentAuthorizedEvent authorized() {
        return new ConnectionIntentAuthorizedEvent(INTENT_ID, CONSENT_ID, List.of(BANK_ACCOUNT_ID),
                List.of("DcTs3U38HdhfEqwF1GKoT3"), ACCOUNT_ID, ConnectionIntentType.ENDURING_PAYMENT_CONSENT, true,
                List.of(), ENCRYPTED_REFRESH_TOKEN, TERMS);
    }

    private static ConnectionIntentDeclinedEvent declined() {
        return new ConnectionIntentDeclinedEvent(INTENT_ID, "access_denied");
    }

    private static ConnectionIntentFailedEvent failed() {
        return new ConnectionIntentFailedEvent(INTENT_ID, "code refused");
    }
}
