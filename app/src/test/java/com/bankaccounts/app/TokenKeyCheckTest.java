package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bankaccounts.platform.operations.InvalidSecretSettingException;
import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.PostgresTestDatabase;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.NestedExceptionUtils;

/**
 * A node given another TOKEN_ENCRYPTION_KEY than the database's does not start (it used to start, report ready, and
 * answer 500 to every read of a token, and write bodies no other node could read); the key is never shown.
 */
class TokenKeyCheckTest extends ApiTestSupport {

    @Test
    void aNodeWithAnotherKeyThanTheDatabasesDoesNotStart() {
        String otherKey = Base64.getEncoder().encodeToString(new byte[32]);

        assertThatThrownBy(() -> new SpringApplicationBuilder(BankAccountsApplication.class)
                .initializers(new PostgresTestDatabase())
                .run("--server.port=0", "--app.admin-api-key=" + ADMIN_KEY, "--app.token-encryption-key=" + otherKey)
                .close())
                .satisfies(failure -> {
                    Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
                    assertThat(cause).isInstanceOf(InvalidSecretSettingException.class)
                            .hasMessageContaining("TOKEN_ENCRYPTION_KEY is not the key this database's tokens")
                            .hasMessageNotContaining(otherKey);
                });
        // The node with the database's key goes on.
        assertThat(api.get("/api/accounts/" + newAccount(true).id(), ADMIN_KEY).status()).isEqualTo(200);
    }

    /**
     * On a database from before the check (no sealed value yet), the first node checks its key against the secrets
     * already there rather than sealing whatever key it has; the next node with the right key seals it.
     */
    @Test
    void onADatabaseFromBeforeTheCheckTheFirstNodesKeyIsCheckedAgainstItsSecrets() {
        TestAccount account = newAccount(true);
        assertThat(api.post("/api/webhook-endpoints", account.key(),
                ApiClient.map("url", "http://127.0.0.1:9/hooks")).status()).isEqualTo(200);
        jdbc.sql("DELETE FROM token_key_check").update();
        String otherKey = Base64.getEncoder().encodeToString(new byte[32]);

        assertThatThrownBy(() -> new SpringApplicationBuilder(BankAccountsApplication.class)
                .initializers(new PostgresTestDatabase())
                .run("--server.port=0", "--app.admin-api-key=" + ADMIN_KEY, "--app.token-encryption-key=" + otherKey)
                .close())
                .satisfies(failure -> assertThat(NestedExceptionUtils.getMostSpecificCause(failure))
                        .isInstanceOf(InvalidSecretSettingException.class));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM token_key_check").query(Long.class).single())
                .as("the wrong key sealed nothing").isZero();

        new SpringApplicationBuilder(BankAccountsApplication.class)
                .initializers(new PostgresTestDatabase())
                .run("--server.port=0", "--app.admin-api-key=" + ADMIN_KEY, "--app.token-encryption-key=" + TOKEN_KEY)
                .close();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM token_key_check").query(Long.class).single()).isOne();
    }
}
