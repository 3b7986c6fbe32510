package com.bankaccounts.command.connectionintent;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.connectionintent.ConnectedAccount;
import com.bankaccounts.api.connectionintent.ConnectionIntentAuthorizedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.app.ApiTestSupport;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import com.bankaccounts.platform.crypto.TokenCipher;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The linker's handler, called in a unit of work of its own over the real server's PostgreSQL, as the intent's
 * authorization calls it: what it creates is seen through the API; what a broken rule leaves, in the database.
 */
class ConsentGrantedLinkerTest extends ApiTestSupport {

    private static final String CONSENT_ID = "sbx-consent-linker-test";

    @Autowired
    private ConsentGrantedLinker linker;
    @Autowired
    private TransactionManager transactionManager;
    @Autowired
    private TokenCipher cipher;
    @Autowired
    private List<CorrelationDataProvider> correlationDataProviders;

    @Test
    void eachConnectedAccountBecomesABankAccountWithAnApprovedAccountConsentReusingHeldOnes() {
        TestAccount account = newAccount(true);
        String held = uniqueTestNumber();
        String heldId = createBankAccount(account, held).text("id");
        String added = uniqueTestNumber();
        String addedId = Ids.newId();
        String intentId = keptGrant(account);
        String refreshToken = cipher.encrypt("plain-refresh-token-of-the-linker-test");

        ResultMessage<?> result = link(account, new ConnectionIntentAuthorizedEvent(intentId, CONSENT_ID,
                List.of(heldId, addedId), List.of(Ids.newId(), Ids.newId()), account.id(),
                ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, true,
                List.of(new ConnectedAccount(held, "Held"), new ConnectedAccount(added, "Online Saver")),
                refreshToken, null));

        assertThat(result.isExceptional()).as(String.valueOf(result.optionalExceptionResult())).isFalse();
        JsonNode listed = bankAccounts(account);
        assertThat(listed.size()).isEqualTo(2);
        JsonNode addedAccount = byId(listed, addedId);
        assertThat(addedAccount.get("bankAccountNumber").asString()).isEqualTo(added);
        assertThat(addedAccount.get("bankAccountName").asString()).isEqualTo("Online Saver");
        assertThat(addedAccount.get("createdBy").asString()).isEqualTo(crn(account));
        assertThat(byId(listed, heldId).get("bankAccountName").asString()).as("kept as it was").isEqualTo("John Doe");
        for (String bankAccountId : List.of(heldId, addedId)) {
            JsonNode approvals = approvalsOf(bankAccountId, account);
            assertThat(approvals.size()).isEqualTo(1);
            assertThat(approvals.get(0).get("type").asString()).isEqualTo("account-consent");
            assertThat(approvals.get(0).get("status").asString()).isEqualTo("approved");
            assertThat(approvals.get(0).get("consentId").asString()).isEqualTo(CONSENT_ID);
            assertThat(approvals.get(0).get("refreshToken").asString())
                    .isEqualTo("plain-refresh-token-of-the-linker-test");
        }
        assertThat(keptGrantOf(intentId)).as("the applied grant is forgotten").isNull();
    }

    @Test
    void aPaymentConsentBecomesOneApprovedPaymentConsentWithItsTermsAndNoRefreshTokenWhenNoneWasIssued() {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);
        String intentId = keptGrant(account);

        ResultMessage<?> result = link(account, new ConnectionIntentAuthorizedEvent(intentId, null,
                List.of(bankAccountId), List.of(Ids.newId()), account.id(),
                ConnectionIntentType.ENDURING_PAYMENT_CONSENT, true, List.of(), null,
                new PaymentConsentTerms("Groceries", ConsentPeriod.WEEKLY, 15_000L)));

        assertThat(result.isExceptional()).as(String.valueOf(result.optionalExceptionResult())).isFalse();
        JsonNode approvals = approvalsOf(bankAccountId, account);
        assertThat(approvals.size()).isEqualTo(1);
        JsonNode approval = approvals.get(0);
        assertThat(approval.get("type").asString()).isEqualTo("payment-consent");
        assertThat(approval.get("status").asString()).isEqualTo("approved");
        assertThat(approval.has("refreshToken")).as(approval.toString()).isFalse();
        assertThat(approval.has("consentId")).as(approval.toString()).isFalse();
        assertThat(bankAccounts(account).size()).isEqualTo(1);
        assertThat(keptGrantOf(intentId)).isNull();
    }

    @Test
    void aBrokenRuleRollsEverythingBackAndKeepsTheGrant() {
        TestAccount account = newAccount(true);
        for (int i = 0; i < 9; i++) {
            newBankAccount(account);
        }
        String intentId = keptGrant(account);
        long events = eventCount();

        ResultMessage<?> result = link(account, new ConnectionIntentAuthorizedEvent(intentId, CONSENT_ID,
                List.of(Ids.newId(), Ids.newId()), List.of(Ids.newId(), Ids.newId()), account.id(),
                ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, true,
                List.of(new ConnectedAccount(uniqueTestNumber(), "One"),
                        new ConnectedAccount(uniqueTestNumber(), "Two")),
                cipher.encrypt("refresh"), null));

        assertThat(result.isExceptional()).isTrue();
        assertThat(result.exceptionResult()).isInstanceOfSatisfying(BusinessRuleException.class,
                refused -> assertThat(refused.code()).isEqualTo(ErrorCode.BANK_ACCOUNT_LIMIT_EXCEEDED));
        assertThat(eventCount()).isEqualTo(events);
        assertThat(bankAccounts(account).size()).isEqualTo(9);
        assertThat(keptGrantOf(intentId)).as("kept for a retry").isEqualTo("kept-grant-ciphertext");
    }

    /** Handles the event as its authorization's unit of work does: in one transaction, on behalf of the owner. */
    private ResultMessage<?> link(TestAccount account, ConnectionIntentAuthorizedEvent event) {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage(event)
                .andMetaData(Map.of(AxonJdbcConfiguration.PRINCIPAL, crn(account))));
        unitOfWork.attachTransaction(transactionManager);
        correlationDataProviders.forEach(unitOfWork::registerCorrelationDataProvider);
        return unitOfWork.executeWithResult(() -> {
            linker.on(event, java.time.Instant.now());
            return null;
        });
    }

    /** An intent of the account whose exchange returned a grant, kept until it is applied. */
    private String keptGrant(TestAccount account) {
        String intentId = Ids.newId();
        jdbc.sql("""
                        INSERT INTO connection_intent_registry (connection_intent_id, account_id, legacy_request,
                            grant_code_hash, kept_grant) VALUES (?, ?, FALSE, 'code-hash', 'kept-grant-ciphertext')""")
                .params(intentId, account.id()).update();
        return intentId;
    }

    private String keptGrantOf(String intentId) {
        return jdbc.sql("SELECT kept_grant FROM connection_intent_registry WHERE connection_intent_id = ?")
                .param(intentId).query(String.class).optional().orElse(null);
    }

    private static JsonNode byId(JsonNode bankAccounts, String id) {
        return StreamSupport.stream(bankAccounts.spliterator(), false)
                .filter(bankAccount -> bankAccount.get("id").asString().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError(id + " is not in " + bankAccounts));
    }
}
