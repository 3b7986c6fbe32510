package com.bankaccounts.query.bankaccount;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.bankaccount.BankAccountCreatedEvent;
import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.bankaccount.BankAccountVerificationFailedEvent;
import com.bankaccounts.api.bankaccount.BankAccountVerifiedEvent;
import com.bankaccounts.api.bankaccount.VerificationOutcome;
import com.bankaccounts.api.bankaccount.DirectDebitAuthorizedEvent;
import com.bankaccounts.api.bankaccount.FindBankAccountQuery;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.query.ReadModelDatabase;
import com.bankaccounts.query.approval.ApprovalReadModel;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The projection's handlers against the real table; what a bank account's POSTs and GETs answer. */
class BankAccountProjectionTest {

    private static final Instant CREATED = Instant.parse("2026-03-01T10:15:30.123456Z");
    private static final Instant LATER = Instant.parse("2026-03-02T08:00:00.5Z");
    private static final String OWNER = "crn:acct:api-key:MyApiKey";
    private static final String ADMIN = "crn::api-key:admin";
    private static final int MAX_FAILED_ATTEMPTS = 3;

    private BankAccountProjection projection;
    private BankAccountQueries queries;
    private String bankAccountId;
    private String accountId;

    @BeforeEach
    void setUp() {
        JdbcClient jdbc = ReadModelDatabase.jdbc();
        BankAccountReadModel readModel = new BankAccountReadModel(jdbc, MAX_FAILED_ATTEMPTS);
        projection = new BankAccountProjection(readModel);
        queries = new BankAccountQueries(readModel, new ApprovalReadModel(jdbc));
        bankAccountId = Ids.newId();
        accountId = Ids.newId();
    }

    @Test
    void aCreatedBankAccountIsUnverifiedWithoutAuthority() {
        projection.on(created(true), CREATED, OWNER, 0);

        assertThat(find()).isEqualTo(new BankAccountResponse(bankAccountId, accountId, "12-1234-1234567-123",
                "Everyday", false, BankAccountResponse.STATUS_CREATED, false, 3, true, "2026-03-01T10:15:30.123Z",
                OWNER, "2026-03-01T10:15:30.123Z", OWNER, List.of()));
    }

    @Test
    void liveDataLeavesTestOut() {
        projection.on(created(false), CREATED, OWNER, 0);

        assertThat(find().test()).isNull();
    }

    @Test
    void anAuthorityMarksItAuthorizedAndModified() {
        projection.on(created(true), CREATED, OWNER, 0);
        projection.on(authorized(), LATER, ADMIN, 1);

        BankAccountResponse found = find();
        assertThat(found.directDebitAuthorized()).isTrue();
        assertThat(found.status()).isEqualTo(BankAccountResponse.STATUS_CREATED);
        assertThat(found.modifiedAt()).isEqualTo("2026-03-02T08:00:00.500Z");
        assertThat(found.modifiedBy()).isEqualTo(ADMIN);
        assertThat(found.createdBy()).isEqualTo(OWNER);
    }

    @Test
    void aVerificationMakesItActive() {
        projection.on(created(true), CREATED, OWNER, 0);
        projection.on(new BankAccountVerifiedEvent(bankAccountId, "4829"), LATER, OWNER, 1);

        assertThat(find().status()).isEqualTo(BankAccountResponse.STATUS_ACTIVE);
        assertThat(find().verified()).isTrue();
        assertThat(find().verificationAttemptsRemaining()).as("none to show once verified").isNull();
    }

    @Test
    void aFailedVerificationCountsDownTheAttemptsLeft() {
        projection.on(created(true), CREATED, OWNER, 0);
        projection.on(failed(1), LATER, ADMIN, 1);

        BankAccountResponse found = find();
        assertThat(found.verificationAttemptsRemaining()).isEqualTo(2);
        assertThat(found.verified()).isFalse();
        assertThat(found.status()).isEqualTo(BankAccountResponse.STATUS_CREATED);
        assertThat(found.modifiedAt()).isEqualTo("2026-03-02T08:00:00.500Z");
        assertThat(found.modifiedBy()).isEqualTo(ADMIN);

        projection.on(failed(2), LATER, OWNER, 2);
        projection.on(failed(3), LATER, OWNER, 3);
        assertThat(find().verificationAttemptsRemaining()).isZero();
    }

    @Test
    void aFailedVerificationDeliveredAgainCountsOnce() {
        projection.on(created(true), CREATED, OWNER, 0);
        projection.on(failed(1), LATER, OWNER, 1);
        projection.on(failed(2), LATER, OWNER, 2);

        projection.on(failed(1), LATER, OWNER, 1);

        assertThat(find().verificationAttemptsRemaining()).isEqualTo(1);
    }

    @Test
    void attemptsLeftCountAgainstTheLimitOfToday() {
        projection.on(created(true), CREATED, OWNER, 0);
        projection.on(failed(2), LATER, OWNER, 1);
        JdbcClient jdbc = ReadModelDatabase.jdbc();

        BankAccountQueries lowered = new BankAccountQueries(new BankAccountReadModel(jdbc, 1),
                new ApprovalReadModel(jdbc));

        assertThat(lowered.handle(new FindBankAccountQuery(bankAccountId)).verificationAttemptsRemaining())
                .as("never below zero").isZero();
    }

    @Test
    void anEventDeliveredAgainChangesNothing() {
        projection.on(created(true), CREATED, OWNER, 0);
        projection.on(authorized(), LATER, ADMIN, 1);
        BankAccountResponse before = find();

        projection.on(created(true), CREATED, OWNER, 0);
        projection.on(authorized(), Instant.parse("2026-04-01T00:00:00Z"), OWNER, 1);

        assertThat(find()).isEqualTo(before);
    }

    @Test
    void anUnknownBankAccountAnswersNothing() {
        assertThat(queries.handle(new FindBankAccountQuery(Ids.newId()))).isNull();
    }

    @Test
    void theAccountsBankAccountsAreListedInCreationOrder() {
        String first = bankAccountId;
        projection.on(created(true), LATER, OWNER, 0);
        bankAccountId = Ids.newId();
        projection.on(new BankAccountCreatedEvent(bankAccountId, accountId, "12-1234-7654321-000", "Savings", true),
                CREATED, OWNER, 0);

        assertThat(queries.findByAccount(accountId)).extracting(BankAccountResponse::id)
                .containsExactly(bankAccountId, first);
    }

    private BankAccountResponse find() {
        return queries.handle(new FindBankAccountQuery(bankAccountId));
    }

    private BankAccountCreatedEvent created(boolean test) {
        return new BankAccountCreatedEvent(bankAccountId, accountId, "12-1234-1234567-123", "Everyday", test);
    }

    private BankAccountVerificationFailedEvent failed(int failedAttempts) {
        return new BankAccountVerificationFailedEvent(bankAccountId, "0000", failedAttempts,
                VerificationOutcome.CODE_INVALID);
    }

    private DirectDebitAuthorizedEvent authorized() {
        return new DirectDebitAuthorizedEvent(bankAccountId, "+64211234567", "Jane Holder", "jane@example.com");
    }
}
