package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.PostgresTestDatabase;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A database upgraded across V28: the one earlier webhook secret V27 kept, while it still signs, goes on signing from
 * the table of earlier secrets; one past its time is not carried over.
 */
class WebhookEarlierSecretsMigrationTest {

    private final DriverManagerDataSource dataSource = PostgresTestDatabase.newDataSource();
    private final JdbcClient jdbc = JdbcClient.create(dataSource);

    @Test
    void aPreviousSecretStillSigningIsCarriedOver() {
        Flyway.configure().dataSource(dataSource).target("27").load().migrate();
        endpoint("Live", "v1:live-previous", "now() + interval '1 hour'", 3);
        endpoint("Expired", "v1:expired-previous", "now() - interval '1 second'", 2);
        endpoint("NeverRotated", null, "NULL", 0);

        Flyway.configure().dataSource(dataSource).load().migrate();

        List<Map<String, Object>> rows = jdbc.sql("""
                        SELECT endpoint_id, version, encrypted_secret, expires_at > now() AS live
                        FROM webhook_endpoint_earlier_secret ORDER BY endpoint_id""")
                .query().listOfRows();
        assertThat(rows).containsExactly(Map.of("endpoint_id", "Live", "version", 3L,
                "encrypted_secret", "v1:live-previous", "live", true));
    }

    private void endpoint(String id, String previousSecret, String previousExpiresAt, long version) {
        jdbc.sql("INSERT INTO webhook_endpoint_view (id, account_id, url, enabled, test, encrypted_secret, created_at, "
                        + "created_by, version, previous_encrypted_secret, previous_secret_expires_at) "
                        + "VALUES (?, 'Account', 'https://example.org/hooks', TRUE, FALSE, 'v1:current', now(), 'k', ?, "
                        + "?, " + previousExpiresAt + ")")
                .params(id, version, previousSecret).update();
    }
}
