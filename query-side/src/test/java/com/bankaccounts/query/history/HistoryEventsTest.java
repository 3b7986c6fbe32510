package com.bankaccounts.query.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.bankaccount.BankAccountVerificationFailedEvent;
import com.bankaccounts.api.bankaccount.VerificationOutcome;
import com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HistoryEventsTest {

    record ConnectionIntentRevokedEvent(String connectionIntentId, String refreshToken) {
    }

    record ConsentExpiredEvent(String connectionIntentId) {
    }

    @Test
    void anEventNotDescribedYetShowsADerivedTypeAndNoFields() {
        assertThat(HistoryEvents.typeOf(ConnectionIntentRevokedEvent.class, "ConnectionIntent"))
                .isEqualTo("connection-intent.revoked");
        assertThat(HistoryEvents.typeOf(ConsentExpiredEvent.class, "ConnectionIntent"))
                .isEqualTo("connection-intent.consent-expired");
        assertThat(HistoryEvents.changesOf(new ConnectionIntentRevokedEvent("id", "secret-token"))).isEmpty();
    }

    @Test
    void secretsAreLeftOut() {
        assertThat(HistoryEvents.changesOf(new BankAccountVerificationFailedEvent("id", "1234", 2,
                VerificationOutcome.CODE_INVALID))).doesNotContainValue("1234").containsEntry("failedAttempts", 2);
        assertThat(HistoryEvents.changesOf(new ConnectionIntentCreatedEvent("id", "account",
                ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, "account-information-consent", false, true, null,
                null, null, "the-state", "v1:verifier", "https://bank/authorize?state=the-state", null)).values())
                .doesNotContain("the-state", "v1:verifier", "https://bank/authorize?state=the-state");
    }

    /** The names and the time format the approval's and the intent's own answers use. */
    @Test
    void paymentTermsAreNamedAndTimedAsTheResourcesShowThem() {
        Instant expiresAt = Instant.parse("2027-01-31T10:00:00Z");
        PaymentConsentTerms terms = new PaymentConsentTerms("Gym", ConsentPeriod.WEEKLY, 5000L, expiresAt);

        assertThat(HistoryEvents.changesOf(new ApprovalRequestedEvent("a", "account", "b",
                ApprovalType.PAYMENT_CONSENT, ApprovalStatus.PENDING, null, null, null, terms,
                Instant.parse("2027-01-31T10:00:00.123456789Z"), "i")))
                .containsEntry("name", "Gym").containsEntry("period", "weekly").containsEntry("totalAmount", "5000")
                .containsEntry("expiresAt", "2027-01-31T10:00:00.123Z")
                .doesNotContainKeys("consentName", "consentPeriod", "consentTotalAmount");
        assertThat(HistoryEvents.changesOf(new ConnectionIntentCreatedEvent("id", "account",
                ConnectionIntentType.ENDURING_PAYMENT_CONSENT, "enduring-payment-consent", false, true, "b", terms,
                null, "the-state", "v1:verifier", "https://bank/authorize?state=the-state", null)))
                .containsEntry("expiresAt", "2027-01-31T10:00:00.000Z").containsEntry("name", "Gym");
    }
}
