package com.bankaccounts.query.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.bankaccounts.api.approval.ApprovalAcceptedEvent;
import com.bankaccounts.api.approval.ApprovalActivityEvent;
import com.bankaccounts.api.approval.ApprovalActivity;
import com.bankaccounts.api.approval.ApprovalCompletedEvent;
import com.bankaccounts.api.approval.ApprovalDeclinedEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.approval.ApprovalResponse;
import com.bankaccounts.api.approval.ApprovalRevokedEvent;
import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.ApprovalSummary;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import com.bankaccounts.platform.crypto.ConsentTokens;
import com.bankaccounts.platform.crypto.TokenCipher;
import com.bankaccounts.platform.testing.PostgresTestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

/** The approval projection, its handlers called as Axon calls them, against the real schema on PostgreSQL. */
@SpringJUnitConfig(classes = ApprovalProjectionTest.Config.class, initializers = PostgresTestDatabase.class)
class ApprovalProjectionTest {

    private static final String OWNER = "crn:Jaim1Cu1Q55uooxSens6yk:api-key:MyApiKey";
    private static final String ADMIN = "crn::api-key:admin";
    private static final Instant REQUESTED_AT = Instant.parse("2026-06-12T01:17:46.499Z");
    private static final Instant REVIEWED_AT = Instant.parse("2026-06-12T02:00:00.120Z");
    private static final Instant COMPLETED_AT = Instant.parse("2026-06-13T09:30:00.001Z");

    @Configuration
    @Import({ApprovalProjection.class, ApprovalReadModel.class, ApprovalQueries.class, ConsentTokens.class})
    static class Config {

        @Bean
        DataSource dataSource(Environment environment) {
            DriverManagerDataSource dataSource = new DriverManagerDataSource(
                    environment.getRequiredProperty("spring.datasource.url"),
                    environment.getRequiredProperty("spring.datasource.username"),
                    environment.getProperty("spring.datasource.password", ""));
            Flyway.configure().dataSource(dataSource).load().migrate();
            return dataSource;
        }

        @Bean
        JdbcClient jdbcClient(DataSource dataSource) {
            return JdbcClient.create(dataSource);
        }

        @Bean
        TokenCipher tokenCipher() {
            return new TokenCipher(new byte[32]);
        }
    }

    @Autowired
    private ApprovalProjection projection;
    @Autowired
    private ApprovalReadModel readModel;
    @Autowired
    private ApprovalQueries queries;
    @Autowired
    private TokenCipher cipher;

    private AnnotationEventHandlerAdapter handlers;
    private String approvalId;
    private String bankAccountId;

    @BeforeEach
    void setUp() {
        handlers = new AnnotationEventHandlerAdapter(projection);
        approvalId = Ids.newId();
        bankAccountId = Ids.newId();
    }

    @Test
    void aRequestedSettlementIsStoredWithItsFirstActivity() throws Exception {
        handle(0, settlementRequested(), OWNER, REQUESTED_AT);

        ApprovalResponse approval = queries.find(approvalId).orElseThrow();
        assertThat(approval.type()).isEqualTo("settlement");
        assertThat(approval.status()).isEqualTo("created");
        assertThat(approval.mediaUploadId()).isEqualTo("uooxSens6ykJaim1Cu1Q55");
        assertThat(approval.refreshToken()).isNull();
        assertThat(approval.createdAt()).isEqualTo("2026-06-12T01:17:46.499Z").isEqualTo(approval.modifiedAt());
        assertThat(approval.createdBy()).isEqualTo(OWNER).isEqualTo(approval.modifiedBy());
        assertThat(approval.approvalActivities()).containsExactly(
                new ApprovalActivity(1, approvalId, "created", null, "2026-06-12T01:17:46.499Z", OWNER));
    }

    @Test
    void eachReviewMovesTheStatusAndAddsAnActivity() throws Exception {
        handle(0, settlementRequested(), OWNER, REQUESTED_AT);
        handle(1, new ApprovalAcceptedEvent(approvalId, "All details match"), ADMIN, REVIEWED_AT);
        handle(2, new ApprovalCompletedEvent(approvalId, "Funds released"), ADMIN, COMPLETED_AT);

        ApprovalResponse approval = queries.find(approvalId).orElseThrow();
        assertThat(approval.status()).isEqualTo("done");
        assertThat(approval.createdBy()).isEqualTo(OWNER);
        assertThat(approval.modifiedAt()).isEqualTo("2026-06-13T09:30:00.001Z");
        assertThat(approval.modifiedBy()).isEqualTo(ADMIN);
        assertThat(approval.approvalActivities()).extracting(ApprovalActivity::activityNumber,
                        ApprovalActivity::activityType, ApprovalActivity::reason)
                .containsExactly(
                        tuple(1, "created", null),
                        tuple(2, "approved", "All details match"),
                        tuple(3, "done", "Funds released"));
    }

    @Test
    void anEventHandledTwiceChangesNothing() throws Exception {
        handle(0, settlementRequested(), OWNER, REQUESTED_AT);
        handle(1, new ApprovalDeclinedEvent(approvalId, "blurry"), ADMIN, REVIEWED_AT);
        ApprovalResponse once = queries.find(approvalId).orElseThrow();

        handle(0, settlementRequested(), OWNER, REQUESTED_AT);
        handle(1, new ApprovalDeclinedEvent(approvalId, "blurry"), ADMIN, REVIEWED_AT);

        assertThat(queries.find(approvalId)).contains(once);
    }

    @Test
    void anOlderEventDoesNotMoveTheStatusBack() throws Exception {
        handle(0, settlementRequested(), OWNER, REQUESTED_AT);
        handle(1, new ApprovalAcceptedEvent(approvalId, null), ADMIN, REVIEWED_AT);
        handle(2, new ApprovalCompletedEvent(approvalId, null), ADMIN, COMPLETED_AT);

        handle(1, new ApprovalAcceptedEvent(approvalId, null), ADMIN, REVIEWED_AT);

        assertThat(queries.find(approvalId).orElseThrow().status()).isEqualTo("done");
    }

    @Test
    void aConsentShowsItsRefreshTokenDecryptedAndItsTerms() throws Exception {
        PaymentConsentTerms terms = new PaymentConsentTerms("Rent", ConsentPeriod.values()[0], 150000L);
        handle(0, new ApprovalRequestedEvent(approvalId, "Jaim1Cu1Q55uooxSens6yk", bankAccountId,
                ApprovalType.PAYMENT_CONSENT, ApprovalStatus.PENDING, null, cipher.encrypt("rt-plain"), "consent-1",
                terms), OWNER, REQUESTED_AT);

        ApprovalResponse approval = queries.find(approvalId).orElseThrow();
        assertThat(approval.status()).isEqualTo("pending");
        assertThat(approval.refreshToken()).isEqualTo("rt-plain");
        assertThat(readModel.findById(approvalId).orElseThrow().encryptedRefreshToken()).isNotEqualTo("rt-plain");
        assertThat(approval.consentId()).isEqualTo("consent-1");
        assertThat(approval.name()).isEqualTo("Rent");
        assertThat(approval.period()).isEqualTo(ConsentPeriod.values()[0].value());
        assertThat(approval.totalAmount()).isEqualTo("150000");
    }

    @Test
    void aConsentKeepsWhenItWasApprovedAndLosesItsTokenWhenRevoked() throws Exception {
        handle(0, new ApprovalRequestedEvent(approvalId, "Jaim1Cu1Q55uooxSens6yk", bankAccountId,
                ApprovalType.PAYMENT_CONSENT, ApprovalStatus.PENDING, null, cipher.encrypt("rt-plain"), "consent-1",
                null), OWNER, REQUESTED_AT);
        handle(1, new ApprovalAcceptedEvent(approvalId, null), OWNER, REVIEWED_AT);
        assertThat(readModel.findById(approvalId).orElseThrow().approvedAt()).isEqualTo(REVIEWED_AT);
        assertThat(readModel.findById(approvalId).orElseThrow().encryptedRefreshToken()).isNotNull();

        handle(2, new ApprovalRevokedEvent(approvalId, "no longer needed"), OWNER, COMPLETED_AT);

        ApprovalReadModel.StoredApproval revoked = readModel.findById(approvalId).orElseThrow();
        assertThat(revoked.status()).isEqualTo("revoked");
        assertThat(revoked.approvedAt()).isEqualTo(REVIEWED_AT);
        assertThat(revoked.encryptedRefreshToken()).isNull();
    }

    @Test
    void theBankAccountSeesASummaryOfEachApprovalInOrderOfChange() throws Exception {
        String first = approvalId;
        handle(0, settlementRequested(), OWNER, REQUESTED_AT);
        approvalId = Ids.newId();
        handle(0, settlementRequested(), OWNER, REVIEWED_AT);
        handle(1, new ApprovalDeclinedEvent(first, "blurry"), ADMIN, COMPLETED_AT);

        Map<String, List<ApprovalSummary>> summaries = readModel.summariesOf(List.of(bankAccountId));

        assertThat(summaries.get(bankAccountId)).containsExactly(
                new ApprovalSummary("settlement", "created", "2026-06-12T02:00:00.120Z"),
                new ApprovalSummary("settlement", "declined", "2026-06-13T09:30:00.001Z"));
        assertThat(queries.ofBankAccount(bankAccountId)).extracting(ApprovalResponse::id)
                .containsExactly(approvalId, first);
    }

    @Test
    void aResetEmptiesTheReadModel() throws Exception {
        handle(0, settlementRequested(), OWNER, REQUESTED_AT);

        handlers.prepareReset();

        assertThat(queries.find(approvalId)).isEmpty();
        assertThat(readModel.activitiesOf(List.of(approvalId))).isEmpty();
    }

    private ApprovalRequestedEvent settlementRequested() {
        return new ApprovalRequestedEvent(approvalId, "Jaim1Cu1Q55uooxSens6yk", bankAccountId,
                ApprovalType.SETTLEMENT, ApprovalStatus.CREATED, "uooxSens6ykJaim1Cu1Q55", null, null, null);
    }

    private void handle(long sequence, Object event, String principal, Instant at) throws Exception {
        handlers.handle(new GenericDomainEventMessage<>("Approval", ((ApprovalActivityEvent) event).approvalId(),
                sequence, event,
                Map.of(AxonJdbcConfiguration.PRINCIPAL, principal), UUID.randomUUID().toString(), at));
    }
}
