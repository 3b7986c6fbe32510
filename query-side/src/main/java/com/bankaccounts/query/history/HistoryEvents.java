package com.bankaccounts.query.history;

import com.bankaccounts.api.approval.ApprovalAcceptedEvent;
import com.bankaccounts.api.approval.ApprovalCompletedEvent;
import com.bankaccounts.api.approval.ApprovalDeclinedEvent;
import com.bankaccounts.api.approval.ApprovalExpiredEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalRevokedEvent;
import com.bankaccounts.api.bankaccount.BankAccountCreatedEvent;
import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.bankaccount.BankAccountVerificationFailedEvent;
import com.bankaccounts.api.bankaccount.BankAccountVerifiedEvent;
import com.bankaccounts.api.bankaccount.DirectDebitAuthorizedEvent;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.api.connectionintent.ConnectedAccount;
import com.bankaccounts.api.connectionintent.ConnectionIntentAuthorizedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentDeclinedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentFailedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.api.fundstransfer.FundsTransferCompletedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferCreatedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferResponse;
import com.bankaccounts.api.fundstransfer.FundsTransferSettledEvent;
import com.bankaccounts.api.fundstransfer.TopUpFundsReleasedEvent;
import com.bankaccounts.api.webhook.WebhookEventType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Every event's public type and what it changed, in the API's field names. An allow-list per event, so that a field
 * added to an event later (or a secret such as a verification code, a refresh token or a PKCE verifier, which are
 * left out here) never shows without being named. To give a new event its entry, add one {@code describe} line
 * below; until then it shows with a type derived from its class name and no changes.
 */
public final class HistoryEvents {

    private record Description<E>(String type, Function<E, Map<String, Object>> changes) {
    }

    private static final Map<Class<?>, Description<?>> DESCRIPTIONS = new HashMap<>();

    static {
        describe(BankAccountCreatedEvent.class, e -> fields(
                "accountId", e.accountId(), "bankAccountNumber", e.bankAccountNumber(),
                "bankAccountName", e.bankAccountName(), "status", BankAccountResponse.STATUS_CREATED,
                "verified", false, "test", e.test()));
        describe(DirectDebitAuthorizedEvent.class,
                e -> fields("directDebitAuthorized", true));
        describe(BankAccountVerifiedEvent.class,
                e -> fields("verified", true, "status", BankAccountResponse.STATUS_ACTIVE));
        describe(BankAccountVerificationFailedEvent.class,
                e -> fields("failedAttempts", e.failedAttempts(),
                        "reason", e.reason() == null ? null : e.reason().name()));

        describe(FundsTransferCreatedEvent.class, e -> fields(
                "accountId", e.accountId(), "bankAccountId", e.bankAccountId(), "type", e.type().value(),
                "amount", Long.toString(e.amount()), "status", FundsTransferResponse.STATUS_CREATED,
                "test", e.test(), "paymentConsentId", e.paymentConsentId()));
        describe(FundsTransferSettledEvent.class, "funds-transfer.settled", e -> fields("settled", true));
        describe(TopUpFundsReleasedEvent.class, "funds-transfer.top-up-released", e -> fields("released", true));
        describe(FundsTransferCompletedEvent.class,
                e -> fields("status", FundsTransferResponse.STATUS_DONE));

        describe(ApprovalRequestedEvent.class, e -> fields(
                "accountId", e.accountId(), "bankAccountId", e.bankAccountId(),
                "type", e.type() == null ? null : e.type().value(), "status", e.status().value(),
                "mediaUploadId", e.mediaUploadId(), "consentId", e.consentId(),
                "name", PaymentConsentTerms.nameOf(e.paymentTerms()),
                "period", PaymentConsentTerms.periodOf(e.paymentTerms()),
                "totalAmount", PaymentConsentTerms.totalAmountOf(e.paymentTerms()),
                "expiresAt", Timestamps.format(e.expiresAt())));
        describe(ApprovalAcceptedEvent.class,
                e -> fields("status", e.resultingStatus().value(), "reason", e.reason()));
        describe(ApprovalDeclinedEvent.class,
                e -> fields("status", e.resultingStatus().value(), "reason", e.reason()));
        describe(ApprovalCompletedEvent.class,
                e -> fields("status", e.resultingStatus().value(), "reason", e.reason()));
        describe(ApprovalRevokedEvent.class,
                e -> fields("status", e.resultingStatus().value(), "reason", e.reason()));
        describe(ApprovalExpiredEvent.class,
                e -> fields("status", e.resultingStatus().value(), "reason", e.reason()));

        // Not its state, PKCE verifier or authorization URL (which carries the state): they let a consent be forged.
        describe(ConnectionIntentCreatedEvent.class, "connection-intent.created", e -> fields(
                "accountId", e.accountId(), "type", e.requestedType(),
                "status", ConnectionIntentResponse.STATUS_CREATED, "test", e.test(),
                "bankAccountId", e.bankAccountId(), "name", PaymentConsentTerms.nameOf(e.paymentTerms()),
                "period", PaymentConsentTerms.periodOf(e.paymentTerms()),
                "totalAmount", PaymentConsentTerms.totalAmountOf(e.paymentTerms()),
                "expiresAt", Timestamps.format(e.paymentTerms() == null ? null : e.paymentTerms().expiresAt()),
                "redirectUri", e.redirectUri()));
        // Not its refresh token, not even encrypted.
        describe(ConnectionIntentAuthorizedEvent.class, e -> fields(
                "status", ConnectionIntentResponse.STATUS_AUTHORIZED, "consentId", e.consentId(),
                "bankAccountIds", e.bankAccountIds(), "approvalIds", e.approvalIds(),
                "connectedAccounts", e.connectedAccounts() == null ? null
                        : e.connectedAccounts().stream().map(HistoryEvents::connected).toList()));
        describe(ConnectionIntentFailedEvent.class,
                e -> fields("status", ConnectionIntentResponse.STATUS_FAILED, "reason", e.reason()));
        describe(ConnectionIntentDeclinedEvent.class,
                e -> fields("status", ConnectionIntentResponse.STATUS_DECLINED, "reason", e.reason()));
    }

    private HistoryEvents() {
    }


    /** An event that is also a webhook type: its name is the webhook type's, so the two never drift apart. */
    private static <E> void describe(Class<E> event, Function<E, Map<String, Object>> changes) {
        String type = WebhookEventType.of(event).map(WebhookEventType::value)
                .orElseThrow(() -> new IllegalStateException(event.getSimpleName() + " is not a webhook type"));
        describe(event, type, changes);
    }

    /** An event that is not a webhook type, named here. */
    private static <E> void describe(Class<E> event, String type, Function<E, Map<String, Object>> changes) {
        DESCRIPTIONS.put(event, new Description<>(type, changes));
    }

    /** The public type of an event of the given aggregate type (the stream's, for an event not described yet). */
    public static String typeOf(Class<?> event, String aggregateType) {
        Description<?> description = DESCRIPTIONS.get(event);
        return description != null ? description.type() : derivedType(event, aggregateType);
    }

    /** What the event changed, secrets left out; empty for an event not described yet. */
    @SuppressWarnings("unchecked")
    public static <E> Map<String, Object> changesOf(E event) {
        Description<E> description = (Description<E>) DESCRIPTIONS.get(event.getClass());
        return description == null ? Map.of() : description.changes().apply(event);
    }

    /** {@code ConnectionIntentRevokedEvent} of a {@code ConnectionIntent}: {@code connection-intent.revoked}. */
    static String derivedType(Class<?> event, String aggregateType) {
        String name = event.getSimpleName().replaceFirst("Event$", "");
        String prefix = aggregateType == null || aggregateType.isEmpty() ? "event" : kebab(aggregateType);
        if (aggregateType != null && name.startsWith(aggregateType) && name.length() > aggregateType.length()) {
            name = name.substring(aggregateType.length());
        }
        return prefix + "." + kebab(name);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Name-value pairs in order; nulls are left out. */
    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return fields;
    }

    private static Map<String, Object> connected(ConnectedAccount account) {
        return fields("bankAccountNumber", account.accountNumber(), "bankAccountName", account.name());
    }
}
