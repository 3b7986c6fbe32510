package com.bankaccounts.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.api.webhook.WebhookEventType.Resource;
import com.bankaccounts.query.ReadModelDatabase;
import com.bankaccounts.query.webhook.WebhookEndpointReadModel.StoredEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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

    /**
     * An event goes to the endpoints enabled when it was recorded, whenever the fan-out takes it: one created later
     * is not among them, nor one disabled since.
     */
    @Test
    void anEventGoesToTheEndpointsItWasRecordedFor() {
        String accountId = Ids.newId();
        String all = endpoint(accountId, null);
        String some = endpoint(accountId, List.of("funds-transfer.created"));
        String bankAccountId = Ids.newId();
        ReadModelDatabase.jdbc().sql("INSERT INTO bank_account_view (id, account_id, bank_account_number,"
                        + " bank_account_name, direct_debit_authorized, status, verified, test, created_at, created_by,"
                        + " modified_at, modified_by, version) VALUES (?, ?, '12-1234-1234567-123', 'Jo', FALSE,"
                        + " 'created', FALSE, TRUE, now(), 'test', now(), 'test', 0)")
                .params(bankAccountId, accountId).update();
        WebhookEndpointReadModel.Owner owner = endpoints.ownerOf(Resource.BANK_ACCOUNT, bankAccountId, null)
                .orElseThrow();
        assertThat(owner.accountId()).isEqualTo(accountId);
        assertThat(owner.endpoints()).containsExactlyInAnyOrder(all, some);
        // Recorded later than the event (a read model tracking the store): the endpoints created by its time.
        assertThat(endpoints.ownerOf(Resource.BANK_ACCOUNT, bankAccountId, Instant.now().minusSeconds(60))
                .orElseThrow().endpoints()).isEmpty();

        String later = endpoint(accountId, null);
        assertThat(endpoints.enabledReceiving(accountId, "bank-account.created", owner.endpoints()))
                .containsExactly(all);
        assertThat(endpoints.enabledReceiving(accountId, "funds-transfer.created", owner.endpoints()))
                .containsExactlyInAnyOrder(all, some);
        endpoints.markDisabled(all, 1);
        assertThat(endpoints.enabledReceiving(accountId, "funds-transfer.created", owner.endpoints()))
                .containsExactly(some);
        assertThat(endpoints.enabledReceiving(accountId, "bank-account.created", null)).containsExactly(later);
        assertThat(endpoints.ownerOf(Resource.BANK_ACCOUNT, Ids.newId(), null)).isEmpty();
        assertThat(endpoints.ownerOf(Resource.BANK_ACCOUNT, bankAccountId, Instant.now()).orElseThrow().endpoints())
                .containsExactlyInAnyOrder(some, later);
    }

    private String endpoint(String accountId, List<String> eventTypes) {
        String id = Ids.newId();
        endpoints.insert(id, accountId, "https://example.org/" + id, eventTypes, null, true, "v1:a", Instant.now(),
                "test", 0);
        return id;
    }

    @Test
    void earlierSecretsSignUntilTheirOwnExpiryTheNewestFirst() {
        String id = endpoint();
        Instant inAnHour = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        Instant inADay = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MILLIS);
        endpoints.rotateSecret(id, "v1:second", inADay, 1);
        assertThat(read(id).encryptedSecret()).isEqualTo("v1:second");
        assertThat(read(id).earlierEncryptedSecrets()).containsExactly("v1:first");
        assertThat(read(id).response().previousSecretExpiresAt()).isEqualTo(Timestamps.format(inADay));

        // A second rotation within the first's overlap keeps the first secret: a receiver may still hold it.
        endpoints.rotateSecret(id, "v1:third", inAnHour, 2);
        assertThat(read(id).encryptedSecret()).isEqualTo("v1:third");
        assertThat(read(id).earlierEncryptedSecrets()).containsExactly("v1:second", "v1:first");
        assertThat(read(id).response().previousSecretExpiresAt()).as("when the last of them stops")
                .isEqualTo(Timestamps.format(inADay));
        String v27Column = ReadModelDatabase.jdbc()
                .sql("SELECT previous_encrypted_secret FROM webhook_endpoint_view WHERE id = ?")
                .param(id).query(String.class).single();
        assertThat(v27Column).as("V27's column, for a node still on V27").isEqualTo("v1:second");

        // An event already applied (a query-side process seeing it again) changes nothing.
        endpoints.rotateSecret(id, "v1:second", inAnHour, 2);
        assertThat(read(id).encryptedSecret()).isEqualTo("v1:third");
        assertThat(read(id).earlierEncryptedSecrets()).containsExactly("v1:second", "v1:first");
        assertThat(endpoints.findByAccount(read(id).response().accountId()).get(0).earlierEncryptedSecrets())
                .containsExactly("v1:second", "v1:first");
    }

    @Test
    void anExpiredEarlierSecretNoLongerSignsNorShows() {
        String id = endpoint();
        endpoints.rotateSecret(id, "v1:second", Instant.now().minusSeconds(1), 1);
        assertThat(read(id).encryptedSecret()).isEqualTo("v1:second");
        assertThat(read(id).earlierEncryptedSecrets()).isEmpty();
        assertThat(read(id).response().previousSecretExpiresAt()).isNull();
    }

    @Test
    void aRotationWithoutOverlapStopsEveryEarlierSecret() {
        String id = endpoint();
        endpoints.rotateSecret(id, "v1:second", Instant.now().plus(Duration.ofHours(1)), 1);
        endpoints.rotateSecret(id, "v1:third", Instant.now().plus(Duration.ofHours(1)), 2);
        endpoints.rotateSecret(id, "v1:fourth", null, 3);
        assertThat(read(id).encryptedSecret()).isEqualTo("v1:fourth");
        assertThat(read(id).earlierEncryptedSecrets()).isEmpty();
        assertThat(read(id).response().previousSecretExpiresAt()).isNull();

        // Seen again, the stop does not undo a later rotation's overlap.
        endpoints.rotateSecret(id, "v1:fifth", Instant.now().plus(Duration.ofHours(1)), 4);
        endpoints.rotateSecret(id, "v1:fourth", null, 3);
        assertThat(read(id).earlierEncryptedSecrets()).containsExactly("v1:fourth");
    }

    @Test
    void onlyTheNewestEarlierSecretsSign() {
        String id = endpoint();
        Instant inADay = Instant.now().plus(Duration.ofDays(1));
        for (int version = 1; version <= WebhookEndpointReadModel.MAX_EARLIER_SECRETS + 2; version++) {
            endpoints.rotateSecret(id, "v1:" + version, inADay, version);
        }
        List<String> earlier = read(id).earlierEncryptedSecrets();
        assertThat(earlier).hasSize(WebhookEndpointReadModel.MAX_EARLIER_SECRETS)
                .startsWith("v1:" + (WebhookEndpointReadModel.MAX_EARLIER_SECRETS + 1)).endsWith("v1:2");
    }

    /** The cap counts secrets that still sign: ones that have stopped since never push a live one out. */
    @Test
    void expiredEarlierSecretsDoNotCountAgainstTheCap() throws InterruptedException {
        String id = endpoint();
        endpoints.rotateSecret(id, "v1:second", Instant.now().plus(Duration.ofDays(7)), 1);
        Instant soon = Instant.now().plusMillis(500);
        // Ten signing at once at most, the first among them.
        int version = 2;
        for (; version <= WebhookEndpointReadModel.MAX_EARLIER_SECRETS; version++) {
            endpoints.rotateSecret(id, "v1:" + version, soon, version);
        }
        assertThat(read(id).earlierEncryptedSecrets()).hasSize(WebhookEndpointReadModel.MAX_EARLIER_SECRETS)
                .endsWith("v1:first");
        Thread.sleep(Duration.between(Instant.now(), soon).plusMillis(100).toMillis());
        endpoints.rotateSecret(id, "v1:last", Instant.now().plus(Duration.ofHours(1)), version);
        assertThat(read(id).earlierEncryptedSecrets()).containsExactly("v1:" + (version - 1), "v1:first");
    }
}
