package com.bankaccounts.command.connectionintent;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.api.connectionintent.BeginConnectionIntentAuthorizationCommand;
import com.bankaccounts.api.connectionintent.ConnectionIntentAuthorizedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentFailedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.api.connectionintent.CreateConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.FailConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.api.connectionintent.PendingAuthorization;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import java.time.Instant;
import java.util.List;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A user's consent flow with a third party: {@code created}, then {@code authorized} once its code has been
 * exchanged, or {@code failed} when the provider refuses the code. On the Bank Account Requests face
 * {@code authorized} reads {@code done}. The provider is called around it ({@link ConnectionIntentCreationHandler},
 * {@link ConnectionIntentAuthorizer}); the rules are here.
 */
@Aggregate
public class ConnectionIntent {

    @AggregateIdentifier
    private String connectionIntentId;
    private String accountId;
    private ConnectionIntentType type;
    private String requestedType;
    private boolean legacyRequest;
    private boolean test;
    private String bankAccountId;
    private PaymentConsentTerms paymentTerms;
    private String redirectUri;
    private String state;
    private String encryptedCodeVerifier;
    private String authorizationUrl;
    private String status;
    private Instant createdAt;
    private String createdBy;
    private Instant updatedAt;
    private String updatedBy;

    protected ConnectionIntent() {
    }

    /**
     * @param accountTest whether the owning account is a test account
     * @param bankAccountTest whether the named bank account is test data (null when none is named)
     */
    ConnectionIntent(CreateConnectionIntentCommand command, boolean accountTest, Boolean bankAccountTest,
                     String state, String encryptedCodeVerifier, String authorizationUrl) {
        requireSameLiveness(command.test(), accountTest, bankAccountTest);
        apply(new ConnectionIntentCreatedEvent(command.connectionIntentId(), command.accountId(), command.type(),
                command.requestedType(), command.legacyRequest(), command.test(), command.bankAccountId(),
                command.paymentTerms(), command.redirectUri(), state, encryptedCodeVerifier, authorizationUrl));
    }

    /**
     * Test intents go with test accounts and test bank accounts, live ones with live ones. Also asked before the
     * intent exists, so that no provider is asked for a URL that would never be used.
     */
    static void requireSameLiveness(boolean intentTest, boolean accountTest, Boolean bankAccountTest) {
        if (intentTest != accountTest || (bankAccountTest != null && intentTest != bankAccountTest)) {
            throw new BusinessRuleException(ErrorCode.LIVENESS_MISMATCH);
        }
    }

    @CommandHandler
    public PendingAuthorization handle(BeginConnectionIntentAuthorizationCommand command) {
        return pendingAuthorization(command.state());
    }

    @CommandHandler
    public void handle(FailConnectionIntentCommand command) {
        failed(command.reason());
    }

    PendingAuthorization pendingAuthorization(String presentedState) {
        if (ConnectionIntentResponse.STATUS_AUTHORIZED.equals(status)) {
            throw new BusinessRuleException(legacyRequest
                    ? ErrorCode.BANK_ACCOUNT_REQUEST_ALREADY_DONE : ErrorCode.CONNECTION_INTENT_ALREADY_AUTHORIZED);
        }
        if (ConnectionIntentResponse.STATUS_FAILED.equals(status)) {
            throw new BusinessRuleException(legacyRequest
                    ? ErrorCode.BANK_ACCOUNT_REQUEST_FAILED : ErrorCode.CONNECTION_INTENT_FAILED);
        }
        if (presentedState != null && !presentedState.equals(state)) {
            throw new BusinessRuleException(ErrorCode.STATE_MISMATCH);
        }
        return new PendingAuthorization(connectionIntentId, accountId, type, test, bankAccountId, paymentTerms,
                redirectUri, encryptedCodeVerifier);
    }

    void authorized(String consentId, List<String> bankAccountIds, List<String> approvalIds) {
        pendingAuthorization(null);
        apply(new ConnectionIntentAuthorizedEvent(connectionIntentId, consentId, bankAccountIds, approvalIds));
    }

    void failed(String reason) {
        pendingAuthorization(null);
        apply(new ConnectionIntentFailedEvent(connectionIntentId, reason));
    }

    ConnectionIntentResponse toResponse() {
        ConnectionIntentResponse response = new ConnectionIntentResponse(connectionIntentId, accountId, requestedType,
                status, Timestamps.format(createdAt), createdBy, Timestamps.format(updatedAt), updatedBy, authorizationUrl,
                test ? Boolean.TRUE : null, bankAccountId,
                PaymentConsentTerms.nameOf(paymentTerms),
                PaymentConsentTerms.periodOf(paymentTerms),
                PaymentConsentTerms.totalAmountOf(paymentTerms),
                redirectUri);
        return legacyRequest ? response.asBankAccountRequest() : response;
    }

    @EventSourcingHandler
    void on(ConnectionIntentCreatedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal) {
        connectionIntentId = event.connectionIntentId();
        accountId = event.accountId();
        type = event.type();
        requestedType = event.requestedType();
        legacyRequest = event.legacyRequest();
        test = event.test();
        bankAccountId = event.bankAccountId();
        paymentTerms = event.paymentTerms();
        redirectUri = event.redirectUri();
        state = event.state();
        encryptedCodeVerifier = event.encryptedCodeVerifier();
        authorizationUrl = event.authorizationUrl();
        status = ConnectionIntentResponse.STATUS_CREATED;
        createdAt = at;
        createdBy = principal;
        updated(at, principal);
    }

    @EventSourcingHandler
    void on(ConnectionIntentAuthorizedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal) {
        status = ConnectionIntentResponse.STATUS_AUTHORIZED;
        updated(at, principal);
    }

    @EventSourcingHandler
    void on(ConnectionIntentFailedEvent event, @Timestamp Instant at,
            @MetaDataValue(AxonJdbcConfiguration.PRINCIPAL) String principal) {
        status = ConnectionIntentResponse.STATUS_FAILED;
        updated(at, principal);
    }

    private void updated(Instant at, String principal) {
        updatedAt = at;
        updatedBy = principal;
    }
}
