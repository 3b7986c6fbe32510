package com.bankaccounts.query.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.bankaccount.BankAccountVerificationFailedEvent;
import com.bankaccounts.api.bankaccount.VerificationOutcome;
import com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
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
                null, null, "the-state", "v1:verifier", "https://bank/authorize?state=the-state")).values())
                .doesNotContain("the-state", "v1:verifier", "https://bank/authorize?state=the-state");
    }
}
