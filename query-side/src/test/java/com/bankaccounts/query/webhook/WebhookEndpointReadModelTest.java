package com.bankaccounts.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.query.ReadModelDatabase;
import com.bankaccounts.query.webhook.WebhookEndpointReadModel.StoredEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** Rotated secrets on PostgreSQL: which secrets an endpoint signs with, and what its answer shows. */
class WebhookEndpointReadModelTest {

    private final WebhookEndpointReadModel endpoints = new WebhookEndpointReadModel(ReadModelDatabase.jdbc());

    private String endpoint() {
        String id = Ids.newId();
        endpoints.insert(id, Ids.newId(), "https://example.org/hooks", null, null, true, "v1:first", Instant.now(),
                "test", 0);
        return id;
    }

    private StoredEndpoint read(String id) {
        return endpoints.findById(id).orElseThrow();
    }

    @Test
    void thePreviousSecretSignsUntilItsExpiryAndASecondRotationReplacesIt() {
        String id = endpoint();
        Instant expires = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        endpoints.rotateSecret(id, "v1:second", expires, 1);
        assertThat(read(id).encryptedSecret()).isEqualTo("v1:second");
        assertThat(read(id).previousEncryptedSecret()).isEqualTo("v1:first");
        assertThat(read(id).response().previousSecretExpiresAt()).isEqualTo(Timestamps.format(expires));

        endpoints.rotateSecret(id, "v1:third", expires, 2);
        assertThat(read(id).encryptedSecret()).isEqualTo("v1:third");
        assertThat(read(id).previousEncryptedSecret()).isEqualTo("v1:second");

        // An event already applied (a query-side process seeing it again) changes nothing.
        endpoints.rotateSecret(id, "v1:second", expires, 2);
        assertThat(read(id).encryptedSecret()).isEqualTo("v1:third");
    }

    @Test
    void anExpiredPreviousSecretNoLongerSignsNorShows() {
        String id = endpoint();
        endpoints.rotateSecret(id, "v1:second", Instant.now().minusSeconds(1), 1);
        assertThat(read(id).encryptedSecret()).isEqualTo("v1:second");
        assertThat(read(id).previousEncryptedSecret()).isNull();
        assertThat(read(id).response().previousSecretExpiresAt()).isNull();
    }

    @Test
    void aRotationWithoutOverlapKeepsNoPreviousSecret() {
        String id = endpoint();
        endpoints.rotateSecret(id, "v1:second", Instant.now().plus(Duration.ofHours(1)), 1);
        endpoints.rotateSecret(id, "v1:third", null, 2);
        assertThat(read(id).encryptedSecret()).isEqualTo("v1:third");
        assertThat(read(id).previousEncryptedSecret()).isNull();
        assertThat(read(id).response().previousSecretExpiresAt()).isNull();
    }
}
