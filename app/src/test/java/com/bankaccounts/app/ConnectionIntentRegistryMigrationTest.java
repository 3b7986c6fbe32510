package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Migrations that fill new columns from the intents' events: V7_1 the registry's columns of intents made before it,
 * V16 the intent of each consent approval linked before it, V25 the end of each payment consent still waiting for its
 * code. Run again over emptied columns, each restores what the
 * events say.
 */
class ConnectionIntentRegistryMigrationTest extends ConnectionIntentApiTestSupport {

    private static final String MIGRATION = "db/migration/V7_1__connection_intent_authorization.sql";
    private static final String GRANTS_MIGRATION = "db/migration/V16__approval_grants.sql";
    private static final String EXPIRY_MIGRATION = "db/migration/V25__connection_intent_expires_at.sql";

    @Test
    void theBackfillRestoresStatusAndWhatTheExchangeNeedsFromTheEvents() throws IOException {
        TestAccount account = newAccount(true);
        Response open = accountInformationIntent(account);
        Response done = accountInformationIntent(account);
        SandboxBrowser.Consent consent = browser.approve(done.text("authorizationUrl"));
        assertEmptyObject(authorize(done.text("id"), account.key(), ApiClient.map("code", consent.code())));
        Map<String, Object> before = registryRow(open.text("id"));

        jdbc.sql("""
                        UPDATE connection_intent_registry SET status = NULL, test = NULL, type = NULL, state = NULL,
                            redirect_uri = NULL, encrypted_code_verifier = NULL WHERE account_id = ?""")
                .param(account.id()).update();
        for (String update : backfill(MIGRATION)) {
            jdbc.sql(update).update();
        }

        assertThat(registryRow(open.text("id"))).isEqualTo(before);
        assertThat(before.get("status")).isEqualTo("created");
        assertThat(before.get("test")).isEqualTo(true);
        assertThat(before.get("type")).isEqualTo("ACCOUNT_INFORMATION_CONSENT");
        assertThat((String) before.get("state")).isEqualTo(SandboxBrowser.stateOf(open.text("authorizationUrl")));
        assertThat((String) before.get("encrypted_code_verifier")).startsWith("v1:");
        assertThat(registryRow(done.text("id")).get("status")).isEqualTo("authorized");
    }

    @Test
    void theBackfillNamesTheIntentOfEachConsentFromItsAuthorizedEvent() throws IOException {
        TestAccount account = newAccount(true);
        Response intent = accountInformationIntent(account);
        SandboxBrowser.Consent consent = browser.approve(intent.text("authorizationUrl"));
        assertEmptyObject(authorize(intent.text("id"), account.key(), ApiClient.map("code", consent.code())));
        String grantOf = "SELECT connection_intent_id FROM approval_registry WHERE account_id = ?";
        assertThat(jdbc.sql(grantOf).param(account.id()).query(String.class).list())
                .containsExactly(intent.text("id"), intent.text("id"));

        jdbc.sql("UPDATE approval_registry SET connection_intent_id = NULL WHERE account_id = ?").param(account.id())
                .update();
        for (String update : backfill(GRANTS_MIGRATION)) {
            jdbc.sql(update).update();
        }

        assertThat(jdbc.sql(grantOf).param(account.id()).query(String.class).list())
                .containsExactly(intent.text("id"), intent.text("id"));
    }

    @Test
    void theBackfillGivesAPaymentConsentWaitingForItsCodeTheEndItsEventNamed() throws IOException {
        TestAccount account = newAccount(true);
        String bankAccountId = newBankAccount(account);
        Instant expiresAt = Instant.parse("2031-05-06T07:08:09Z");
        Response ending = created(account, ApiClient.map("accountId", account.id(), "type", "enduring-payment-consent",
                "bankAccountId", bankAccountId, "test", true, "expiresAt", expiresAt.toString()));
        Response endless = created(account, ApiClient.map("accountId", account.id(), "type", "enduring-payment-consent",
                "bankAccountId", bankAccountId, "test", true));
        String endOf = "SELECT expires_at FROM connection_intent_registry WHERE connection_intent_id = ?";
        assertThat(jdbc.sql(endOf).param(ending.text("id")).query(OffsetDateTime.class).single().toInstant())
                .isEqualTo(expiresAt);

        jdbc.sql("UPDATE connection_intent_registry SET expires_at = NULL WHERE account_id = ?").param(account.id())
                .update();
        for (String update : backfill(EXPIRY_MIGRATION)) {
            jdbc.sql(update).update();
        }

        assertThat(jdbc.sql(endOf).param(ending.text("id")).query(OffsetDateTime.class).single().toInstant())
                .isEqualTo(expiresAt);
        assertThat(jdbc.sql("SELECT expires_at IS NULL FROM connection_intent_registry WHERE connection_intent_id = ?")
                .param(endless.text("id")).query(Boolean.class).single()).isTrue();
    }

    private Map<String, Object> registryRow(String id) {
        return jdbc.sql("""
                        SELECT status, test, type, state, redirect_uri, encrypted_code_verifier
                        FROM connection_intent_registry WHERE connection_intent_id = ?""")
                .param(id).query().singleRow();
    }

    /** The migration's UPDATE statements (its ALTERs have run already). */
    private static String[] backfill(String migration) throws IOException {
        try (InputStream in = ConnectionIntentRegistryMigrationTest.class.getClassLoader()
                .getResourceAsStream(migration)) {
            assertThat(in).as(migration).isNotNull();
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            return Arrays.stream(script.split(";")).map(String::strip)
                    .filter(statement -> statement.startsWith("UPDATE")).toArray(String[]::new);
        }
    }
}
