package com.bankaccounts.api.webhook;

import com.bankaccounts.api.approval.ApprovalAcceptedEvent;
import com.bankaccounts.api.approval.ApprovalCompletedEvent;
import com.bankaccounts.api.approval.ApprovalDeclinedEvent;
import com.bankaccounts.api.approval.ApprovalExpiredEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalRevokedEvent;
import com.bankaccounts.api.bankaccount.BankAccountCreatedEvent;
import com.bankaccounts.api.bankaccount.BankAccountVerificationFailedEvent;
import com.bankaccounts.api.bankaccount.BankAccountVerifiedEvent;
import com.bankaccounts.api.bankaccount.DirectDebitAuthorizedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentAuthorizedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentDeclinedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentFailedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferCompletedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferCreatedEvent;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The event types a webhook endpoint can receive, each the name of one stored event and the resource its delivery
 * carries (as that resource's GET answers at the event's version). A new type is one line here.
 */
public enum WebhookEventType {
    BANK_ACCOUNT_CREATED("bank-account.created", BankAccountCreatedEvent.class, Resource.BANK_ACCOUNT),
    BANK_ACCOUNT_DIRECT_DEBIT_AUTHORIZED("bank-account.direct-debit-authorized", DirectDebitAuthorizedEvent.class,
            Resource.BANK_ACCOUNT),
    BANK_ACCOUNT_VERIFIED("bank-account.verified", BankAccountVerifiedEvent.class, Resource.BANK_ACCOUNT),
    BANK_ACCOUNT_VERIFICATION_FAILED("bank-account.verification-failed", BankAccountVerificationFailedEvent.class,
            Resource.BANK_ACCOUNT),
    FUNDS_TRANSFER_CREATED("funds-transfer.created", FundsTransferCreatedEvent.class, Resource.FUNDS_TRANSFER),
    FUNDS_TRANSFER_DONE("funds-transfer.done", FundsTransferCompletedEvent.class, Resource.FUNDS_TRANSFER),
    APPROVAL_CREATED("approval.created", ApprovalRequestedEvent.class, Resource.APPROVAL),
    APPROVAL_APPROVED("approval.approved", ApprovalAcceptedEvent.class, Resource.APPROVAL),
    APPROVAL_DECLINED("approval.declined", ApprovalDeclinedEvent.class, Resource.APPROVAL),
    APPROVAL_DONE("approval.done", ApprovalCompletedEvent.class, Resource.APPROVAL),
    APPROVAL_REVOKED("approval.revoked", ApprovalRevokedEvent.class, Resource.APPROVAL),
    APPROVAL_EXPIRED("approval.expired", ApprovalExpiredEvent.class, Resource.APPROVAL),
    CONNECTION_INTENT_AUTHORIZED("connection-intent.authorized", ConnectionIntentAuthorizedEvent.class,
            Resource.CONNECTION_INTENT),
    CONNECTION_INTENT_FAILED("connection-intent.failed", ConnectionIntentFailedEvent.class,
            Resource.CONNECTION_INTENT),
    CONNECTION_INTENT_DECLINED("connection-intent.declined", ConnectionIntentDeclinedEvent.class,
            Resource.CONNECTION_INTENT);

    /** The resource a delivery's {@code data} holds; its id is the event's aggregate id. */
    public enum Resource {
        BANK_ACCOUNT,
        FUNDS_TRANSFER,
        APPROVAL,
        CONNECTION_INTENT
    }

    private static final Map<Class<?>, WebhookEventType> BY_CLASS = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(type -> type.eventClass, type -> type));

    private final String value;
    private final Class<?> eventClass;
    private final Resource resource;

    WebhookEventType(String value, Class<?> eventClass, Resource resource) {
        this.value = value;
        this.eventClass = eventClass;
        this.resource = resource;
    }

    public String value() {
        return value;
    }

    public Resource resource() {
        return resource;
    }

    public static Optional<WebhookEventType> fromValue(String value) {
        return Arrays.stream(values()).filter(type -> type.value.equals(value)).findFirst();
    }

    /** Asked for every event a read model's processor meets (WebhookRecordingTrigger), once per segment. */
    public static Optional<WebhookEventType> of(Class<?> eventClass) {
        return Optional.ofNullable(BY_CLASS.get(eventClass));
    }
}
