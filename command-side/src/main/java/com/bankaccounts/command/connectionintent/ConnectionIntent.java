package com.bankaccounts.command.connectionintent;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.bankaccounts.api.bankaccount.BankAccountNumbers;
import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.CodePoints;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.connectionintent.AuthorizationOutcome;
import com.bankaccounts.api.connectionintent.AuthorizeConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.ConnectedAccount;
import com.bankaccounts.api.connectionintent.ConnectionIntentAuthorizedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentDeclinedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentFailedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.api.connectionintent.CreateConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.DeclineConnectionIntentCommand;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A user's consent flow with a third party: {@code created}, then {@code authorized} once its code has been
 * exchanged, {@code failed} when the provider refuses the code, or {@code declined} when the user refuses the consent.
 * On the Bank Account Requests face {@code authorized} reads {@code done} and {@code declined} reads {@code failed}. The code exchange itself happens outside, with no transaction open
 * ({@link ConnectionIntentAuthorizer}); what the grant links is created by {@link ConsentGrantedLinker}.
 */
@Aggregate
public class ConnectionIntent {

    private static final int MAX_NAME_LENGTH = 200;
    /** The failed event's reason when a payment consent's end came before its authorization. */
    static final String EXPIRED_BEFORE_AUTHORIZED = "the payment consent expired before it was authorized";

    @AggregateIdentifier
    private String connectionIntentId;
    private String accountId;
    private ConnectionIntentType type;
    private boolean legacyRequest;
    private boolean test;
    private String bankAccountId;
    private PaymentConsentTerms paymentTerms;
    private String state;
    private String status;

    protected ConnectionIntent() {
    }

    /**
     * Checks the account and the named bank account (locked, so that it cannot change meanwhile), makes the state
     * and the PKCE verifier (kept encrypted), and asks the provider where the user goes to consent.
     */
    @CommandHandler
    public ConnectionIntent(CreateConnectionIntentCommand command, AccountRepository accounts,
                            BankAccountRegistry bankAccounts, OpenBankingProviders providers, TokenCipher cipher) {
        Account account = accounts.findById(command.accountId())
                .orElseThrow(() -> new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND));
        boolean intentTest = command.test() == null ? account.test() : command.test();
        RegisteredBankAccount bankAccount = command.bankAccountId() == null ? null
                : bankAccounts.lock(command.bankAccountId())
                        .filter(found -> found.accountId().equals(account.id()))
                        .orElseThrow(() -> new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND));
        requireSameLiveness(intentTest, account.test());
        if (bankAccount != null) {
            requireSameLiveness(intentTest, bankAccount.test());
        }
        String newState = Pkce.randomToken();
        String verifier = Pkce.randomToken();
        OpenBankingProvider provider = providers.forIntent(intentTest);
        String providerRedirectUri = provider.redirectUri(command.redirectUri());
        String authorizationUrl = provider.authorizationUrl(new AuthorizationRequest(
                command.connectionIntentId(), newState, Pkce.challengeOf(verifier), providerRedirectUri,
                command.type() == ConnectionIntentType.ENDURING_PAYMENT_CONSENT, command.baseUrl(), account.name(),
                command.paymentTerms()));
        apply(new ConnectionIntentCreatedEvent(command.connectionIntentId(), account.id(), command.type(),
                command.requestedType(), command.legacyRequest(), intentTest, command.bankAccountId(),
                command.paymentTerms(), command.redirectUri(), newState, cipher.encrypt(verifier), authorizationUrl,
                providerRedirectUri));
    }

    /** Test intents go with test accounts and test bank accounts, live ones with live ones. */
    private static void requireSameLiveness(boolean intentTest, boolean otherTest) {
        if (intentTest != otherTest) {
            throw new BusinessRuleException(ErrorCode.LIVENESS_MISMATCH);
        }
    }

    /**
     * Decides what the grant links: for account information, each provider account by canonical number (in number
     * order, so that two authorizations sharing numbers take their locks in the same order), as the bank account
     * the account already holds with that number or a new one, each with a new account-consent approval; for a
     * payment consent, a payment-consent approval of the named bank account.
     */
    @CommandHandler
    public AuthorizationOutcome handle(AuthorizeConnectionIntentCommand command, BankAccountRegistry bankAccounts,
                                       BankAccountLimits limits) {
        requireAuthorizable(status, legacyRequest, state, command.state());
        if (paymentTerms != null && paymentTerms.expiresAt() != null
                && !paymentTerms.expiresAt().isAfter(GenericEventMessage.clock.instant())) {
            // An approval would be born expired: the intent fails instead (an event, so it is not rolled back).
            apply(new ConnectionIntentFailedEvent(connectionIntentId, EXPIRED_BEFORE_AUTHORIZED));
            return AuthorizationOutcome.CONSENT_EXPIRED;
        }
        List<ConnectedAccount> connected = List.of();
        List<String> bankAccountIds;
        if (type == ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT) {
            connected = byNumber(command.accounts(), test);
            // More numbers than an account may hold can never all be held: refused before a look-up per number.
            if (connected.size() > limits.maxPerAccount()) {
                throw new BusinessRuleException(ErrorCode.BANK_ACCOUNT_LIMIT_EXCEEDED);
            }
            // The account's lock before the look-ups: two authorizations sharing a number take turns, and the second
            // finds the bank account the first linked (without it, both made one and the second was refused).
            bankAccounts.lockAccount(accountId);
            bankAccountIds = connected.stream()
                    .map(account -> bankAccounts.findByAccountAndNumber(accountId, account.accountNumber())
                            .orElseGet(Ids::newId))
                    .toList();
        } else {
            bankAccountIds = List.of(bankAccountId);
        }
        List<String> approvalIds = bankAccountIds.stream().map(id -> Ids.newId()).toList();
        apply(new ConnectionIntentAuthorizedEvent(connectionIntentId, command.consentId(), bankAccountIds,
                approvalIds, accountId, type, test, connected, command.encryptedRefreshToken(), paymentTerms));
        return AuthorizationOutcome.AUTHORIZED;
    }

    @CommandHandler
    public void handle(FailConnectionIntentCommand command) {
        requireAuthorizable(status, legacyRequest, state, null);
        apply(new ConnectionIntentFailedEvent(connectionIntentId, command.reason()));
    }

    @CommandHandler
    public void handle(DeclineConnectionIntentCommand command) {
        requireAuthorizable(status, legacyRequest, state, command.state());
        apply(new ConnectionIntentDeclinedEvent(connectionIntentId, command.reason()));
    }

    /**
     * An intent is authorized (or failed, or declined) once, and with its own state when the client passes one back. Also asked
     * of the command-side registry's copy before a code is spent ({@link ConnectionIntentAuthorizer}); the
     * aggregate's handlers decide.
     */
    static void requireAuthorizable(String status, boolean legacyRequest, String state, String presentedState) {
        if (ConnectionIntentResponse.STATUS_AUTHORIZED.equals(status)) {
            throw new BusinessRuleException(legacyRequest
                    ? ErrorCode.BANK_ACCOUNT_REQUEST_ALREADY_DONE : ErrorCode.CONNECTION_INTENT_ALREADY_AUTHORIZED);
        }
        if (ConnectionIntentResponse.STATUS_FAILED.equals(status)) {
            throw new BusinessRuleException(legacyRequest
                    ? ErrorCode.BANK_ACCOUNT_REQUEST_FAILED : ErrorCode.CONNECTION_INTENT_FAILED);
        }
        if (ConnectionIntentResponse.STATUS_DECLINED.equals(status)) {
            throw new BusinessRuleException(legacyRequest
                    ? ErrorCode.BANK_ACCOUNT_REQUEST_FAILED : ErrorCode.CONNECTION_INTENT_DECLINED);
        }
        if (presentedState != null && !presentedState.equals(state)) {
            throw new BusinessRuleException(ErrorCode.STATE_MISMATCH);
        }
    }

    /** Canonical, one per number, in number order; a number that is not a valid one is a malformed answer. */
    private static List<ConnectedAccount> byNumber(List<ConnectedAccount> accounts, boolean test) {
        Map<String, String> byNumber = new TreeMap<>();
        for (ConnectedAccount account : accounts) {
            String number = BankAccountNumbers.canonical(account.accountNumber())
                    .filter(canonical -> test || BankAccountNumbers.hasValidCheckDigits(canonical))
                    .orElseThrow(ProviderFailureException::error);
            String name = account.name().strip();
            byNumber.putIfAbsent(number, CodePoints.first(name, MAX_NAME_LENGTH));
        }
        return byNumber.entrySet().stream().map(entry -> new ConnectedAccount(entry.getKey(), entry.getValue()))
                .toList();
    }

    @EventSourcingHandler
    void on(ConnectionIntentCreatedEvent event) {
        connectionIntentId = event.connectionIntentId();
        accountId = event.accountId();
        type = event.type();
        legacyRequest = event.legacyRequest();
        test = event.test();
        bankAccountId = event.bankAccountId();
        paymentTerms = event.paymentTerms();
        state = event.state();
        status = ConnectionIntentResponse.STATUS_CREATED;
    }

    @EventSourcingHandler
    void on(ConnectionIntentAuthorizedEvent event) {
        status = ConnectionIntentResponse.STATUS_AUTHORIZED;
    }

    @EventSourcingHandler
    void on(ConnectionIntentFailedEvent event) {
        status = ConnectionIntentResponse.STATUS_FAILED;
    }

    @EventSourcingHandler
    void on(ConnectionIntentDeclinedEvent event) {
        status = ConnectionIntentResponse.STATUS_DECLINED;
    }
}
