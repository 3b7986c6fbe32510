package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.PostgresTestDatabase;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A database upgraded across V23: the failed verification attempts stored before it are counted into the bank
 * accounts' read model by the migration, as the projection would have, so no rebuild is needed.
 */
class FailedVerificationAttemptsMigrationTest {

    private static final String FAILED = "com.bankaccounts.api.bankaccount.BankAccountVerificationFailedEvent";
    private static final String AUTHORIZED = "com.bankaccounts.api.bankaccount.DirectDebitAuthorizedEvent";

    private final DriverManagerDataSource dataSource = PostgresTestDatabase.newDataSource();
    private final JdbcClient jdbc = JdbcClient.create(dataSource);

    @Test
    void attemptsFailedBeforeTheMigrationAreCountedByIt() {
        Flyway.configure().dataSource(dataSource).target("22").load().migrate();
        bankAccount("TwiceWrong", 0, "2026-01-01T00:00:00Z", "crn:a:api-key:k");
        // A code stored before codes had to be 4 digits: PostgreSQL would refuse to parse its escaped NUL.
        failed("TwiceWrong", 1, 1, "\\u0000", "2026-01-02T00:00:00Z", "crn:a:api-key:first");
        failed("TwiceWrong", 2, 2, "0000", "2026-01-03T04:05:06.789Z", "crn:a:api-key:second");
        bankAccount("WrongThenAuthorized", 2, "2026-01-05T00:00:00Z", "crn::api-key:admin");
        failed("WrongThenAuthorized", 1, 1, "0000", "2026-01-04T00:00:00Z", "crn:a:api-key:k");
        event("WrongThenAuthorized", 2, AUTHORIZED, "{}", "2026-01-05T00:00:00Z", "crn::api-key:admin");
        bankAccount("NeverWrong", 0, "2026-01-01T00:00:00Z", "crn:a:api-key:k");

        Flyway.configure().dataSource(dataSource).load().migrate();

        assertThat(row("TwiceWrong")).containsEntry("failed_verification_attempts", 2).containsEntry("version", 2L)
                .containsEntry("modified_by", "crn:a:api-key:second")
                .containsEntry("modified", "2026-01-03T04:05:06.789Z");
        assertThat(row("WrongThenAuthorized")).as("its later change stays the last")
                .containsEntry("failed_verification_attempts", 1).containsEntry("version", 2L)
                .containsEntry("modified_by", "crn::api-key:admin")
                .containsEntry("modified", "2026-01-05T00:00:00.000Z");
        assertThat(row("NeverWrong")).containsEntry("failed_verification_attempts", 0).containsEntry("version", 0L)
                .containsEntry("modified", "2026-01-01T00:00:00.000Z");
    }

    private void bankAccount(String id, long version, String modifiedAt, String modifiedBy) {
        jdbc.sql("""
                        INSERT INTO bank_account_view (id, account_id, bank_account_number, bank_account_name,
                            direct_debit_authorized, status, verified, test, created_at, created_by, modified_at,
                            modified_by, version)
                        VALUES (?, 'Account', '12-1234-1234567-123', 'Jane', FALSE, 'created', FALSE, TRUE,
                            '2026-01-01T00:00:00Z', 'crn:a:api-key:k', ?::timestamptz, ?, ?)""")
                .params(id, modifiedAt, modifiedBy, version).update();
        event(id, 0, "com.bankaccounts.api.bankaccount.BankAccountCreatedEvent", "{}", "2026-01-01T00:00:00Z",
                "crn:a:api-key:k");
    }

    private void failed(String id, long sequence, int failedAttempts, String code, String at, String principal) {
        event(id, sequence, FAILED, "{\"bankAccountId\":\"" + id + "\",\"verificationCode\":\"" + code + "\","
                + "\"failedAttempts\":" + failedAttempts + ",\"reason\":\"CODE_INVALID\"}", at, principal);
    }

    private void event(String id, long sequence, String type, String payload, String at, String principal) {
        jdbc.sql("""
                        INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, aggregate_type,
                            event_identifier, meta_data, payload, payload_type, time_stamp)
                        VALUES (?, ?, 'BankAccount', ?, convert_to(?, 'UTF8'), convert_to(?, 'UTF8'), ?, ?)""")
                .params(id, sequence, UUID.randomUUID().toString(), "{\"principal\":\"" + principal + "\"}", payload,
                        type, at)
                .update();
    }

    private Map<String, Object> row(String id) {
        return jdbc.sql("""
                        SELECT failed_verification_attempts, version, modified_by,
                            to_char(modified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS modified
                        FROM bank_account_view WHERE id = ?""")
                .param(id).query().singleRow();
    }
}
