package com.bankaccounts.query.connectionintent;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.connectionintent.ConnectionIntentAuthorizedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentFailedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.connectionintent.FindConnectionIntentQuery;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.platform.testing.PostgresTestDatabase;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The projection's handlers, called directly, over the real schema in PostgreSQL. */
class ConnectionIntentProjectionTest {

    private static final String INTENT_ID = "3KVjuKW2CZCJeJVqPxwkX7";
    private static final String ACCOUNT_ID = "B4u4WZCu3joZFVWT3XjWW3";
    private static final String BANK_ACCOUNT_ID = "WRhAxxWpTKb5U7pXyxQjjY";
    private static final String OWNER = "crn:" + ACCOUNT_ID + ":api-key:MyApiKey";
    private static final String ADMIN = "crn::api-key:admin";
    private static final Instant CREATED_AT = Instant.parse("2026-06-12T01:17:46.499Z");
    private static final Instant UPDATED_AT = Instant.parse("2026-06-12T01:20:03.007Z");
    private static final String URL = "http://localhost:8080/sandbox/consent?state=abc";

    private static JdbcClient jdbc;
    private ConnectionIntentReadModel readModel;
    private ConnectionIntentProjection projection;
    private ConnectionIntentQueryController queries;

    @BeforeAll
    static void migrate() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                PostgresTestDatabase.url(PostgresTestDatabase.database()), PostgresTestDatabase.user(),
                PostgresTestDatabase.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
    }

    @BeforeEach
    void setUp() {
        readModel = new ConnectionIntentReadModel(jdbc);
        readModel.deleteAll();
        projection = new ConnectionIntentProjection(readModel);
        queries = new ConnectionIntentQueryController(readModel);
    }

    @Test
    void aCreatedIntentIsShownWithWhatItWasCreatedWith() {
        projection.on(created(false, "account-information-consent", null, null), CREATED_AT, OWNER, 0);

        assertThat(find()).isEqualTo(new ConnectionIntentResponse(INTENT_ID, ACCOUNT_ID,
                "account-information-consent", "created", "2026-06-12T01:17:46.499Z", OWNER,
                "2026-06-12T01:17:46.499Z", OWNER, URL, Boolean.TRUE, null, null, null, null,
                "https://app.example/callback", null, null, null));
    }

    @Test
    void aPaymentConsentShowsItsBankAccountAndTerms() {
        projection.on(created(false, "quartz-payment", BANK_ACCOUNT_ID,
                new PaymentConsentTerms("Weekly groceries", ConsentPeriod.WEEKLY, 150_000L)), CREATED_AT, OWNER, 0);

        ConnectionIntentResponse shown = find();
        assertThat(shown.type()).isEqualTo("quartz-payment");
        assertThat(shown.bankAccountId()).isEqualTo(BANK_ACCOUNT_ID);
        assertThat(List.of(shown.name(), shown.period(), shown.totalAmount()))
                .containsExactly("Weekly groceries", "weekly", "150000");
    }

    @Test
    void anAuthorizedIntentIsShownAuthorizedWithWhoAndWhen() {
        projection.on(created(false, "account-information-consent", null, null), CREATED_AT, OWNER, 0);
        projection.on(authorized(), UPDATED_AT, ADMIN, 1);

        ConnectionIntentResponse shown = find();
        assertThat(shown.status()).isEqualTo("authorized");
        assertThat(shown.createdBy()).isEqualTo(OWNER);
        assertThat(shown.updatedAt()).isEqualTo("2026-06-12T01:20:03.007Z");
        assertThat(shown.updatedBy()).isEqualTo(ADMIN);
    }

    @Test
    void anAuthorizedIntentNamesTheBankAccountsItLinkedAndTheirApprovals() {
        projection.on(created(false, "account-information-consent", null, null), CREATED_AT, OWNER, 0);
        projection.on(new ConnectionIntentAuthorizedEvent(INTENT_ID, "consent", List.of("BA1", "BA2"),
                List.of("AP1", "AP2"), ACCOUNT_ID, ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, true, List.of(),
                null, null), UPDATED_AT, ADMIN, 1);

        ConnectionIntentResponse shown = find();
        assertThat(shown.bankAccountIds()).containsExactly("BA1", "BA2");
        assertThat(shown.approvalIds()).containsExactly("AP1", "AP2");
    }

    @Test
    void aCreatedIntentNamesNoBankAccountsYet() {
        projection.on(created(false, "account-information-consent", null, null), CREATED_AT, OWNER, 0);

        assertThat(find().bankAccountIds()).isNull();
        assertThat(find().approvalIds()).isNull();
    }

    @Test
    void anAuthorizedBankAccountRequestIsShownDoneOnItsOwnFace() {
        projection.on(created(true, "quartz-details", null, null), CREATED_AT, OWNER, 0);
        projection.on(authorized(), UPDATED_AT, OWNER, 1);

        assertThat(find().status()).isEqualTo("done");
        assertThat(readModel.findById(INTENT_ID).orElseThrow().legacyRequest()).isTrue();
    }

    @Test
    void aFailedIntentIsShownFailedOnBothFaces() {
        projection.on(created(true, "quartz-details", null, null), CREATED_AT, OWNER, 0);
        projection.on(new ConnectionIntentFailedEvent(INTENT_ID, "code refused"), UPDATED_AT, OWNER, 1);

        assertThat(find().status()).isEqualTo("failed");
    }

    @Test
    void redeliveredAndOutOfDateEventsChangeNothing() {
        projection.on(created(false, "account-information-consent", null, null), CREATED_AT, OWNER, 0);
        projection.on(authorized(), UPDATED_AT, ADMIN, 1);
        projection.on(created(false, "account-information-consent", null, null), UPDATED_AT, ADMIN, 0);
        projection.on(new ConnectionIntentFailedEvent(INTENT_ID, "late"), UPDATED_AT, OWNER, 1);

        ConnectionIntentResponse shown = find();
        assertThat(shown.status()).isEqualTo("authorized");
        assertThat(shown.createdAt()).isEqualTo("2026-06-12T01:17:46.499Z");
    }

    @Test
    void aResetEmptiesTheReadModel() {
        projection.on(created(false, "account-information-consent", null, null), CREATED_AT, OWNER, 0);
        projection.reset();

        assertThat(find()).isNull();
    }

    private ConnectionIntentResponse find() {
        return queries.handle(new FindConnectionIntentQuery(INTENT_ID));
    }

    private static ConnectionIntentCreatedEvent created(boolean legacy, String requestedType, String bankAccountId,
                                                        PaymentConsentTerms terms) {
        ConnectionIntentType type = bankAccountId == null
                ? ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT : ConnectionIntentType.ENDURING_PAYMENT_CONSENT;
        return new ConnectionIntentCreatedEvent(INTENT_ID, ACCOUNT_ID, type, requestedType, legacy, true,
                bankAccountId, terms, "https://app.example/callback", "state", "v1:verifier", URL,
                "https://app.example/callback");
    }

    private static ConnectionIntentAuthorizedEvent authorized() {
        return new ConnectionIntentAuthorizedEvent(INTENT_ID, "consent", List.of(), List.of(), ACCOUNT_ID,
                ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, true, List.of(), null, null);
    }
}
