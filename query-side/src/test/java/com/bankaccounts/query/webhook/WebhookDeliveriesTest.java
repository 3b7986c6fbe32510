package com.bankaccounts.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.common.Ids;
import com.bankaccounts.query.ReadModelDatabase;
import com.bankaccounts.query.webhook.WebhookDeliveries.Claimed;
import com.bankaccounts.query.webhook.WebhookDeliveries.RecordedType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Claims of due deliveries on PostgreSQL, as two nodes make them at the same moment; recorded events looked up. */
class WebhookDeliveriesTest {

    private static final Duration LEASE = Duration.ofMinutes(1);

    private final WebhookDeliveries deliveries = new WebhookDeliveries(ReadModelDatabase.jdbc());
    private final TransactionTemplate transactions =
            new TransactionTemplate(new JdbcTransactionManager(ReadModelDatabase.dataSource()));

    @Test
    void aClaimNotYetCommittedKeepsAnotherNodeOffThatEndpointsNewerDeliveries() throws Exception {
        String endpoint = Ids.newId();
        deliveries.addDelivery(endpoint, "evt_" + Ids.newId(), "bank_account.created");
        CountDownLatch firstClaimed = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            Future<List<Claimed>> first = nodes.submit(() -> transactions.execute(status -> {
                List<Claimed> mine = claimedOf(endpoint);
                firstClaimed.countDown();
                await(secondStarted);
                sleep(); // the second claim, unless it waits for this one, is done by now
                return mine;
            }));
            assertThat(firstClaimed.await(30, TimeUnit.SECONDS)).isTrue();
            // A new event's delivery, committed after the first claim locked what was due then.
            deliveries.addDelivery(endpoint, "evt_" + Ids.newId(), "bank_account.created");
            Future<List<Claimed>> second = nodes.submit(() -> {
                secondStarted.countDown();
                return transactions.execute(status -> claimedOf(endpoint));
            });

            assertThat(first.get(30, TimeUnit.SECONDS)).hasSize(1);
            assertThat(second.get(30, TimeUnit.SECONDS)).isEmpty();
        } finally {
            nodes.shutdownNow();
        }
    }

    /** A retry by hand is not taken while the endpoint is disabled, even when the disable came after the check. */
    @Test
    void aDeliveryIsRestartedOnlyWhileItsEndpointIsEnabled() {
        WebhookEndpointReadModel endpoints = new WebhookEndpointReadModel(ReadModelDatabase.jdbc());
        String endpoint = Ids.newId();
        endpoints.insert(endpoint, "an-account", "https://example.org/" + endpoint, null, null, true, "v1:a",
                Instant.now(), "test", 0);
        deliveries.addDelivery(endpoint, "evt_" + Ids.newId(), "bank_account.created");
        String delivery = ReadModelDatabase.jdbc().sql("SELECT id FROM webhook_delivery WHERE endpoint_id = ?")
                .param(endpoint).query(String.class).single();

        assertThat(deliveries.restart(endpoint, delivery)).isTrue();
        endpoints.markDisabled(endpoint, 1);
        assertThat(deliveries.restart(endpoint, delivery)).isFalse();
        assertThat(deliveries.restart(endpoint, Ids.newId())).isFalse();
    }

    @Test
    void twoNodesClaimingTogetherTakeDifferentEndpointsEachOnce() {
        List<String> endpoints = List.of(Ids.newId(), Ids.newId(), Ids.newId(), Ids.newId());
        for (String endpoint : endpoints) {
            for (int i = 0; i < 3; i++) {
                deliveries.addDelivery(endpoint, "evt_" + Ids.newId(), "bank_account.created");
            }
        }
        List<CompletableFuture<List<Claimed>>> claims = List.of(
                CompletableFuture.supplyAsync(() -> transactions.execute(status -> claimedOf(endpoints))),
                CompletableFuture.supplyAsync(() -> transactions.execute(status -> claimedOf(endpoints))));

        List<Claimed> all = claims.stream().flatMap(claim -> claim.join().stream()).toList();
        assertThat(all).extracting(Claimed::endpointId).containsExactlyInAnyOrderElementsOf(endpoints);
        assertThat(all).extracting(Claimed::id).doesNotHaveDuplicates();
    }

    @Test
    void oneAccountsEndpointsInFlightAnywhereAreCappedWhileAnotherAccountStillGetsItsTurn() {
        String busyAccount = Ids.newId();
        String otherAccount = Ids.newId();
        List<String> busy = List.of(endpointOf(busyAccount), endpointOf(busyAccount), endpointOf(busyAccount));
        String other = endpointOf(otherAccount);
        // The busy account's backlog is the oldest, as a slow receiver's is.
        for (String endpoint : busy) {
            deliveries.addDelivery(endpoint, "evt_" + Ids.newId(), "bank_account.created");
        }
        deliveries.addDelivery(other, "evt_" + Ids.newId(), "bank_account.created");
        List<String> all = new ArrayList<>(busy);
        all.add(other);

        List<Claimed> first = transactions.execute(status -> claimedOf(all, 2));
        assertThat(first).extracting(Claimed::endpointId).containsExactlyInAnyOrder(busy.get(0), busy.get(1), other);
        // Another node, while those two are in flight: none of the busy account's third endpoint.
        List<Claimed> second = transactions.execute(status -> claimedOf(all, 2));
        assertThat(second).isEmpty();
    }

    @Test
    void anAccountAtItsCapHoldingTheOldestBacklogStillLeavesAnotherAccountItsTurn() {
        String capped = Ids.newId();
        String first = endpointOf(capped);
        String second = endpointOf(capped);
        String theirs = endpointOf(Ids.newId());
        deliveries.addDelivery(first, "evt_" + Ids.newId(), "bank_account.created");
        // More than a claim reads by age, all older than the other account's delivery.
        ReadModelDatabase.jdbc().sql("""
                        INSERT INTO webhook_delivery (id, endpoint_id, event_id, type, status, next_attempt_at, created_at)
                        SELECT md5(? || i), ?, 'evt_backlog_' || ? || '-' || i, 'bank_account.created',
                               'pending', now(), now()
                        FROM generate_series(1, ?) i""")
                .params(second, second, second, WebhookDeliveries.WINDOW + 100).update();
        deliveries.addDelivery(theirs, "evt_" + Ids.newId(), "bank_account.created");
        ReadModelDatabase.jdbc().sql("UPDATE webhook_delivery SET next_attempt_at = now() - interval '1 day' "
                + "WHERE endpoint_id IN (?, ?)").params(first, second).update();
        List<String> all = List.of(first, second, theirs);

        List<Claimed> claimed = transactions.execute(status -> claimedOf(all, 1));
        assertThat(claimed).extracting(Claimed::endpointId).containsExactlyInAnyOrder(first, theirs);
        List<Claimed> again = transactions.execute(status -> claimedOf(all, 1));
        assertThat(again).isEmpty();
    }

    @Test
    void anOutcomeRecordedAfterItsLeaseEndedAndAnotherNodeClaimedTheDeliveryChangesNothing() {
        String endpoint = Ids.newId();
        deliveries.addDelivery(endpoint, "evt_" + Ids.newId(), "bank_account.created");
        Claimed late = transactions.execute(status -> claimedOf(endpoint)).get(0);
        // The lease runs out, and another node claims the delivery again.
        ReadModelDatabase.jdbc().sql("UPDATE webhook_delivery SET locked_until = now() - interval '1 second' "
                + "WHERE id = ?").param(late.id()).update();
        Claimed again = transactions.execute(status -> claimedOf(endpoint)).get(0);

        assertThat(deliveries.recordFailure(late, 500, "answered 500", null)).isFalse();
        deliveries.recordSuccess(late, 200);
        assertThat(stateOf(late.id())).isEqualTo("pending 0");

        deliveries.recordSuccess(again, 200);
        assertThat(stateOf(late.id())).isEqualTo("succeeded 1");
    }

    /** The column holds 300 characters; a longer reason is cut there, between characters, never inside one. */
    @Test
    void aLongErrorIsCutAt300CharactersWithoutSplittingOne() {
        String endpoint = Ids.newId();
        deliveries.addDelivery(endpoint, "evt_" + Ids.newId(), "bank_account.created");
        Claimed claimed = transactions.execute(status -> claimedOf(endpoint)).get(0);
        String emoji = "\uD83D\uDD12";

        assertThat(deliveries.recordFailure(claimed, null, "x" + emoji.repeat(400), null)).isTrue();

        assertThat(ReadModelDatabase.jdbc().sql("SELECT last_error FROM webhook_delivery WHERE id = ?")
                .param(claimed.id()).query(String.class).single()).isEqualTo("x" + emoji.repeat(299));
    }

    private static String stateOf(String deliveryId) {
        return ReadModelDatabase.jdbc().sql("SELECT status || ' ' || attempts FROM webhook_delivery WHERE id = ?")
                .param(deliveryId).query(String.class).single();
    }

    @Test
    void findEventTypesAnswersTheRecordedOnesOfManyEventsAtOnce() {
        String account = Ids.newId();
        String first = "evt_" + Ids.newId();
        String second = "evt_" + Ids.newId();
        String unheard = "evt_" + Ids.newId();
        String before = "evt_" + Ids.newId();
        deliveries.recordEvent(first, "bank_account.created", account, Instant.now(), "{}", List.of("e1", "e2"));
        deliveries.recordEvent(second, "approval.accepted", account, Instant.now(), "{}", List.of("e1"));
        deliveries.recordEvent(unheard, "approval.declined", account, Instant.now(), null, null);
        // A row of the release before the endpoints were kept: for every enabled endpoint.
        ReadModelDatabase.jdbc().sql("INSERT INTO webhook_event (event_id, type, account_id, created_at, body)"
                + " VALUES (?, 'approval.accepted', ?, now(), '{}')").params(before, account).update();

        assertThat(deliveries.findEventTypes(List.of(first, "evt_" + Ids.newId(), second, unheard, before)))
                .containsOnly(
                        Map.entry(first, new RecordedType("bank_account.created", account, true, List.of("e1", "e2"))),
                        Map.entry(second, new RecordedType("approval.accepted", account, true, List.of("e1"))),
                        Map.entry(unheard, new RecordedType("approval.declined", account, false, null)),
                        Map.entry(before, new RecordedType("approval.accepted", account, true, null)));
        assertThat(deliveries.findEvent(first)).isPresent();
        assertThat(deliveries.findEvent(unheard)).isEmpty();
        assertThat(deliveries.findEventTypes(List.of())).isEmpty();
    }

    /** One delivery per endpoint, only of the given endpoints (the database may hold other tests' deliveries). */
    private List<Claimed> claimedOf(String endpoint) {
        return claimedOf(List.of(endpoint));
    }

    private List<Claimed> claimedOf(List<String> endpoints) {
        return claimedOf(endpoints, 1_000);
    }

    private List<Claimed> claimedOf(List<String> endpoints, int perAccount) {
        return deliveries.claimDue(1_000, 1, perAccount, LEASE).stream().flatMap(List::stream)
                .filter(claimed -> endpoints.contains(claimed.endpointId())).toList();
    }

    /** An endpoint of the account, as the read model holds it. */
    private static String endpointOf(String accountId) {
        String id = Ids.newId();
        ReadModelDatabase.jdbc().sql("""
                        INSERT INTO webhook_endpoint_view (id, account_id, url, enabled, test, encrypted_secret,
                            created_at, created_by, version)
                        VALUES (?, ?, 'https://example.org/hooks', TRUE, TRUE, 'v1:secret', now(), 'test', 0)""")
                .params(id, accountId).update();
        return id;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
