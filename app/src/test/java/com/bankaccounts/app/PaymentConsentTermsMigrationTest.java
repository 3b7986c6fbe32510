package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.PostgresTestDatabase;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A database upgraded across V24: a payment consent approved before V12_4, whose terms only the read model held, is
 * held to them on the command side too.
 */
class PaymentConsentTermsMigrationTest {

    private final DriverManagerDataSource dataSource = PostgresTestDatabase.newDataSource();
    private final JdbcClient jdbc = JdbcClient.create(dataSource);

    @Test
    void theTermsOfAConsentApprovedBeforeTheCommandSideKeptThemAreCopiedToIt() {
        Flyway.configure().dataSource(dataSource).target("23").load().migrate();
        // As V12_4 left it: approved, with no terms in the registry.
        consent("OldMonthly", "payment-consent", null, null, null, "monthly", 10_000L, "2027-01-01T00:00:00Z");
        // Written since V12_4, with its own terms: left as it is.
        consent("NewWeekly", "payment-consent", "weekly", 500L, "2026-12-31T00:00:00Z", "monthly", 10_000L,
                "2027-01-01T00:00:00Z");
        // Not a payment consent: nothing to copy.
        consent("AccountConsent", "account-consent", null, null, null, "monthly", 10_000L, null);

        Flyway.configure().dataSource(dataSource).load().migrate();

        assertThat(registry("OldMonthly")).containsEntry("consent_period", "monthly")
                .containsEntry("consent_total_amount", 10_000L).containsEntry("expires", "2027-01-01T00:00:00Z")
                .containsEntry("approved", "2026-06-01T00:00:00Z");
        assertThat(registry("NewWeekly")).containsEntry("consent_period", "weekly")
                .containsEntry("consent_total_amount", 500L).containsEntry("expires", "2026-12-31T00:00:00Z");
        assertThat(registry("AccountConsent")).containsEntry("consent_period", null)
                .containsEntry("consent_total_amount", null).containsEntry("expires", null);
    }

    private void consent(String id, String type, String period, Long total, String expiresAt, String viewPeriod,
                         Long viewTotal, String viewExpiresAt) {
        jdbc.sql("""
                        INSERT INTO approval_registry (approval_id, bank_account_id, account_id, type, status,
                            updated_at, approved_at, consent_period, consent_total_amount, expires_at)
                        VALUES (?, 'BankAccount', 'Account', ?, 'approved', '2026-06-01T00:00:00Z',
                            '2026-06-01T00:00:00Z', ?, ?, ?::timestamptz)""")
                .params(id, type, period, total, expiresAt).update();
        jdbc.sql("""
                        INSERT INTO approval_view (id, bank_account_id, account_id, type, status, created_at,
                            created_by, modified_at, modified_by, version, consent_period, consent_total_amount,
                            expires_at, approved_at)
                        VALUES (?, 'BankAccount', 'Account', ?, 'approved', '2026-06-01T00:00:00Z', 'crn::sandbox',
                            '2026-06-01T00:00:00Z', 'crn::sandbox', 1, ?, ?, ?::timestamptz, '2026-06-01T00:00:00Z')""")
                .params(id, type, viewPeriod, viewTotal, viewExpiresAt).update();
    }

    private Map<String, Object> registry(String id) {
        return jdbc.sql("""
                        SELECT consent_period, consent_total_amount,
                            to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS expires,
                            to_char(approved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS approved
                        FROM approval_registry WHERE approval_id = ?""")
                .param(id).query().singleRow();
    }
}
