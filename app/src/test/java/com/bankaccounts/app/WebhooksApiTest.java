package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.api.approval.ApprovalAcceptedEvent;
import com.bankaccounts.api.approval.ApprovalRequestedEvent;
import com.bankaccounts.api.bankaccount.BankAccountCreatedEvent;
import com.bankaccounts.api.bankaccount.BankAccountVerificationFailedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferCreatedEvent;
import com.bankaccounts.app.WebhookReceiver.Received;
import com.bankaccounts.platform.crypto.TokenCipher;
import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import com.bankaccounts.query.webhook.WebhookFanOut;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.MockResponse;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.util.ReflectionTestUtils;
import tools.jackson.databind.JsonNode;

/**
 * Webhook endpoints over real HTTP, delivering to real HTTP receivers on this machine, with the short retry schedule
 * that ApiTestSupport sets.
 */
class WebhooksApiTest extends ApiTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private final List<WebhookReceiver> receivers = new ArrayList<>();

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private EventProcessingConfiguration processing;

    @Autowired
    private EventStore eventStore;

    @AfterEach
    void stopReceivers() {
        receivers.forEach(WebhookReceiver::close);
    }

    private WebhookReceiver receiver() {
        WebhookReceiver receiver = WebhookReceiver.start();
        receivers.add(receiver);
        return receiver;
    }

    private Response createEndpoint(TestAccount account, String url, Object eventTypes) {
        return api.post("/api/webhook-endpoints", account.key(), eventTypes == null
                ? ApiClient.map("url", url, "description", "orders")
                : ApiClient.map("url", url, "eventTypes", eventTypes));
    }

    private JsonNode endpoint(TestAccount account, String url, Object eventTypes) {
        Response created = createEndpoint(account, url, eventTypes);
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created.json();
    }

    private List<Received> awaitReceived(WebhookReceiver receiver, int count) {
        await().atMost(WAIT).until(() -> receiver.received().size() >= count);
        return receiver.received();
    }

    /** The newest delivery's status, or "" before there is one. */
    private String firstStatus(TestAccount account, String endpointId) {
        JsonNode items = deliveries(account, endpointId);
        return items.isEmpty() ? "" : items.get(0).get("status").asString();
    }

    private JsonNode deliveries(TestAccount account, String endpointId) {
        Response listed = api.get("/api/webhook-endpoints/" + endpointId + "/deliveries", account.key());
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        return listed.json().get("items");
    }

    /**
     * Axon's Spring Boot settings are applied after a processor's own builder customization, so the fan-out's segments
     * and batch size are properties: they must reach the processor (its batch size is not public: read by reflection).
     */
    @Test
    void theFanOutTakesEventsOnOneSegmentInBatches() throws Exception {
        PooledStreamingEventProcessor fanOut = processing.eventProcessor(WebhookFanOut.PROCESSING_GROUP,
                PooledStreamingEventProcessor.class).orElseThrow();
        assertThat(ReflectionTestUtils.getField(fanOut, "batchSize")).isEqualTo(100);
        Callable<Long> segments = () -> jdbc.sql("SELECT COUNT(*) FROM token_entry WHERE processor_name = ?")
                .param(WebhookFanOut.PROCESSING_GROUP).query(Long.class).single();
        await().atMost(WAIT).until(() -> segments.call() > 0);
        assertThat(segments.call()).isEqualTo(1);
    }

    /**
     * An event goes to the endpoints its account had when it happened: one created while the fan-out lags behind
     * (here: stopped) does not receive the events before it, however late the fan-out takes them. Another cached
     * context on this database may hold the fan-out's segment meanwhile, so this is end to end, not a proof of the
     * lag: WebhookFanOutTest takes an event late on purpose.
     */
    @Test
    void anEndpointCreatedAfterAnEventDoesNotReceiveItWhenTheFanOutTakesItLater() {
        TestAccount account = newAccount(true);
        WebhookReceiver first = receiver();
        endpoint(account, first.url(), null);
        PooledStreamingEventProcessor fanOut = processing.eventProcessor(WebhookFanOut.PROCESSING_GROUP,
                PooledStreamingEventProcessor.class).orElseThrow();
        String before;
        WebhookReceiver later = receiver();
        fanOut.shutDown();
        try {
            before = createBankAccount(account, uniqueTestNumber()).text("id");
            endpoint(account, later.url(), null);
        } finally {
            fanOut.start();
        }
        String after = createBankAccount(account, uniqueTestNumber()).text("id");
        assertThat(awaitReceived(first, 2)).extracting(Received::body)
                .anySatisfy(body -> assertThat(body).contains(before))
                .anySatisfy(body -> assertThat(body).contains(after));
        assertThat(awaitReceived(later, 1)).extracting(Received::body)
                .allSatisfy(body -> assertThat(body).doesNotContain(before))
                .anySatisfy(body -> assertThat(body).contains(after));
        assertThat(deliveries(account, endpointIdOf(account, later.url()))).hasSize(1);
    }

    @Test
    void createAnswersTheSecretOnceAndReadsNeverShowIt() {
        TestAccount account = newAccount(true);
        WebhookReceiver receiver = receiver();
        JsonNode created = endpoint(account, receiver.url(), null);
        assertThat(created.get("id").asString()).hasSize(22);
        assertThat(created.get("accountId").asString()).isEqualTo(account.id());
        assertThat(created.get("url").asString()).isEqualTo(receiver.url());
        assertThat(created.has("eventTypes")).as("all types: left out").isFalse();
        assertThat(created.get("description").asString()).isEqualTo("orders");
        assertThat(created.get("enabled").asBoolean()).isTrue();
        assertThat(created.get("secret").asString()).startsWith("whsec_");
        assertThat(java.util.Base64.getDecoder().decode(created.get("secret").asString().substring(6))).hasSize(32);
        assertThat(created.get("createdAt").asString()).matches(TIMESTAMP);
        assertThat(created.get("createdBy").asString()).isEqualTo(crn(account));

        String id = created.get("id").asString();
        Response read = api.get("/api/webhook-endpoints/" + id, account.key());
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json().has("secret")).isFalse();
        assertThat(read.json().get("url").asString()).isEqualTo(receiver.url());
        Response listed = api.get("/api/accounts/" + account.id() + "/webhook-endpoints", account.key());
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.json().get("items")).hasSize(1);
        assertThat(listed.json().get("items").get(0).has("secret")).isFalse();
        // Stored encrypted, never in clear, in the event store nor the tables.
        String secret = created.get("secret").asString();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE ?")
                .param("%" + secret.substring(6, 20) + "%").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT encrypted_secret FROM webhook_endpoint_view WHERE id = ?").param(id)
                .query(String.class).single()).startsWith("v1:").doesNotContain(secret.substring(6));

        Response typed = createEndpoint(account, receiver.url(), List.of("bank-account.created", "approval.done"));
        assertThat(typed.status()).as(typed.toString()).isEqualTo(200);
        assertThat(typed.json().get("eventTypes").toString()).isEqualTo("[\"bank-account.created\",\"approval.done\"]");
    }

    @Test
    void aRotatedSecretSignsBesideTheEarlierOnesUntilTheyExpire() throws Exception {
        TestAccount account = newAccount(true);
        WebhookReceiver receiver = receiver();
        JsonNode created = endpoint(account, receiver.url(), null);
        String id = created.get("id").asString();
        String first = created.get("secret").asString();
        String rotatePath = "/api/webhook-endpoints/" + id + "/rotate-secret";

        Response rotated = api.post(rotatePath, account.key(), null);
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String second = rotated.text("secret");
        assertThat(second).startsWith("whsec_").isNotEqualTo(first);
        Instant previousExpires = Instant.parse(rotated.text("previousSecretExpiresAt"));
        assertThat(previousExpires).isBetween(Instant.now().plus(Duration.ofHours(24)).minusSeconds(60),
                Instant.now().plus(Duration.ofHours(24)));
        JsonNode read = api.get("/api/webhook-endpoints/" + id, account.key()).json();
        assertThat(read.has("secret")).isFalse();
        assertThat(read.get("previousSecretExpiresAt").asString()).isEqualTo(rotated.text("previousSecretExpiresAt"));

        newBankAccount(account);
        Received both = awaitReceived(receiver, 1).get(0);
        assertThat(both.signature().split(" ")).hasSize(2);
        assertThat(WebhookReceiver.signatureValid(second, both)).isTrue();
        assertThat(WebhookReceiver.signatureValid(first, both)).isTrue();

        // A second rotation within the first's overlap (a retry sent without an idempotency key, say): the first
        // secret, which the receiver may still hold, signs on until its own time, the later of the two.
        Response secondRotation = api.post(rotatePath, account.key(), ApiClient.map("previousSecretExpiresIn", 3600));
        assertThat(secondRotation.status()).as(secondRotation.toString()).isEqualTo(200);
        String third = secondRotation.text("secret");
        assertThat(secondRotation.text("previousSecretExpiresAt")).isEqualTo(rotated.text("previousSecretExpiresAt"));
        newBankAccount(account);
        Received all = awaitReceived(receiver, 2).get(1);
        assertThat(all.signature().split(" ")).hasSize(3);
        for (String secret : List.of(first, second, third)) {
            assertThat(WebhookReceiver.signatureValid(secret, all)).isTrue();
        }

        // The earlier secrets ending at once (a leaked one): only the newest signs, and no earlier one does at all.
        // Under an idempotency key the request runs in one transaction, whose start PostgreSQL's now() names.
        Response again = api.post(rotatePath, account.key(),
                ApiClient.map("previousSecretExpiresIn", 0, "idempotencyKey", "rotate-" + id));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        String fourth = again.text("secret");
        assertThat(again.json().has("previousSecretExpiresAt")).isFalse();
        newBankAccount(account);
        Received newest = awaitReceived(receiver, 3).get(2);
        assertThat(newest.signature().split(" ")).hasSize(1);
        assertThat(WebhookReceiver.signatureValid(fourth, newest)).isTrue();
        for (String secret : List.of(first, second, third)) {
            assertThat(WebhookReceiver.signatureValid(secret, newest)).isFalse();
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE ?")
                .param("%" + fourth.substring(6, 20) + "%").query(Long.class).single()).isZero();

        for (Object bad : List.of(-1, 604_801, "60", 1.5, "x")) {
            Response refused = api.post(rotatePath, account.key(), ApiClient.map("previousSecretExpiresIn", bad));
            assertThat(refused.status()).as(bad + " -> " + refused).isEqualTo(400);
        }
        assertRefused(api.post(rotatePath, account.key(), ApiClient.map("previousSecretExpiresIn", 1.5)), 400,
                "previousSecretExpiresIn must be a whole JSON number");
        TestAccount other = newAccount(true);
        assertRefused(api.post(rotatePath, other.key(), null), 404, "WEBHOOK_ENDPOINT_NOT_FOUND");
        Response byAdmin = api.post(rotatePath, ADMIN_KEY, null);
        assertThat(byAdmin.status()).as(byAdmin.toString()).isEqualTo(200);
        assertThat(byAdmin.text("secret")).startsWith("whsec_").isNotEqualTo(fourth);
        assertThat(api.post("/api/webhook-endpoints/" + id + "/disable", account.key(), null).status()).isEqualTo(200);
        assertRefused(api.post(rotatePath, account.key(), null), 403, "WEBHOOK_ENDPOINT_ALREADY_DISABLED");
    }

    @Test
    void aDeliveryIsSignedAndCarriesTheResourceAtThatEventsVersion() throws Exception {
        TestAccount account = newAccount(true);
        WebhookReceiver receiver = receiver();
        String secret = endpoint(account, receiver.url(), null).get("secret").asString();

        String bankAccountId = newBankAccount(account);
        // A test withdrawal is created, settled and done in one command: two webhooks, each with its own version.
        Response withdrawal = api.post("/api/funds-transfers", account.key(),
                ApiClient.map("bankAccountId", bankAccountId, "type", "withdrawal", "amount", "250"));
        assertThat(withdrawal.status()).as(withdrawal.toString()).isEqualTo(200);

        List<Received> received = awaitReceived(receiver, 3);
        assertThat(received).hasSize(3);
        for (Received request : received) {
            assertThat(WebhookReceiver.signatureValid(secret, request)).as(request.toString()).isTrue();
            assertThat(Long.parseLong(request.timestamp()))
                    .isBetween(System.currentTimeMillis() / 1000 - 60, System.currentTimeMillis() / 1000 + 60);
            assertThat(request.webhookId()).startsWith("msg_");
        }
        JsonNode created = ApiClient.JSON.readTree(byType(received, "bank-account.created").body());
        assertThat(created.get("id").asString()).isNotBlank();
        assertThat(created.get("createdAt").asString()).matches(TIMESTAMP);
        assertThat(created.get("accountId").asString()).isEqualTo(account.id());
        JsonNode bankAccount = api.get("/api/bank-accounts/" + bankAccountId, account.key()).json();
        assertThat(created.get("data")).isEqualTo(bankAccount);

        JsonNode transferCreated = ApiClient.JSON.readTree(byType(received, "funds-transfer.created").body());
        JsonNode transferDone = ApiClient.JSON.readTree(byType(received, "funds-transfer.done").body());
        assertThat(transferCreated.get("data").get("id").asString()).isEqualTo(withdrawal.text("id"));
        assertThat(transferCreated.get("data").get("status").asString()).isEqualTo("created");
        assertThat(transferDone.get("data").get("status").asString()).isEqualTo("done");
        assertThat(transferDone.get("data")).isEqualTo(withdrawal.json());
        assertThat(transferCreated.get("id")).isNotEqualTo(transferDone.get("id"));
        // Bodies are kept encrypted: they hold the resources' numbers and names.
        assertThat(jdbc.sql("SELECT body FROM webhook_event WHERE event_id = ?").param(created.get("id").asString())
                .query(String.class).single()).startsWith("v1:").doesNotContain(bankAccountId);

        // A receiver's signature check fails on a changed body.
        Received tampered = new Received(received.get(0).webhookId(), received.get(0).timestamp(),
                received.get(0).signature(), received.get(0).body().replace("created", "CREATED"));
        assertThat(WebhookReceiver.signatureValid(secret, tampered)).isFalse();
    }

    /** A refused verification is delivered with the attempts it leaves, as the GET then shows them. */
    @Test
    void aFailedVerificationIsDelivered() {
        TestAccount account = newAccount(true);
        WebhookReceiver receiver = receiver();
        endpoint(account, receiver.url(), List.of("bank-account.verification-failed"));
        String bankAccountId = newBankAccount(account);
        Response refused = api.post("/api/bank-accounts/" + bankAccountId + "/verify", account.key(),
                ApiClient.map("verificationCode", "0000"));
        assertRefused(refused, 403, "VERIFICATION_CODE_INVALID");

        List<Received> received = awaitReceived(receiver, 1);
        JsonNode body = ApiClient.JSON.readTree(received.get(0).body());
        assertThat(body.get("type").asString()).isEqualTo("bank-account.verification-failed");
        assertThat(body.get("data").get("verificationAttemptsRemaining").asInt()).isEqualTo(2);
        assertThat(body.get("data")).isEqualTo(api.get("/api/bank-accounts/" + bankAccountId, account.key()).json());
    }

    /**
     * A read model's processor takes the webhook types of its resource whether its projection shows them or not, and
     * no other resource's events (it would deserialize and handle each of them for nothing).
     */
    @Test
    void aReadModelsProcessorTakesItsResourcesWebhookTypesAndNoOtherEvents() {
        EventHandlerInvoker bankAccounts = processing.eventProcessorByProcessingGroup("bank-accounts",
                AbstractEventProcessor.class).orElseThrow().eventHandlerInvoker();
        assertThat(bankAccounts.canHandleType(BankAccountVerificationFailedEvent.class)).isTrue();
        assertThat(bankAccounts.canHandleType(BankAccountCreatedEvent.class)).isTrue();
        assertThat(bankAccounts.canHandleType(ApprovalRequestedEvent.class)).isFalse();
        assertThat(bankAccounts.canHandleType(FundsTransferCreatedEvent.class)).isFalse();
        EventHandlerInvoker approvals = processing.eventProcessorByProcessingGroup("approvals",
                AbstractEventProcessor.class).orElseThrow().eventHandlerInvoker();
        assertThat(approvals.canHandleType(ApprovalAcceptedEvent.class)).isTrue();
        assertThat(approvals.canHandleType(BankAccountVerificationFailedEvent.class)).isFalse();
    }

    private static Received byType(List<Received> received, String type) {
        return received.stream().filter(request -> request.body().contains("\"type\":\"" + type + "\""))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " in " + received));
    }

    /**
     * Events the fan-out takes in one batch (made while it was stopped) are looked up together; each still reaches
     * exactly the endpoints that take it.
     */
    @Test
    void eventsTakenInOneBatchEachReachTheirOwnEndpoints() {
        PooledStreamingEventProcessor fanOut = processing.eventProcessor(WebhookFanOut.PROCESSING_GROUP,
                PooledStreamingEventProcessor.class).orElseThrow();
        TestAccount a = newAccount(true);
        TestAccount b = newAccount(true);
        TestAccount quiet = newAccount(true);
        WebhookReceiver receiverA = receiver();
        WebhookReceiver typedB = receiver();
        endpoint(a, receiverA.url(), null);
        endpoint(b, typedB.url(), List.of("funds-transfer.created"));
        fanOut.shutDown();
        List<String> ofA;
        String ofB;
        try {
            ofA = List.of(newBankAccount(a), newBankAccount(quiet), newBankAccount(a));
            ofB = newBankAccount(b);
            assertThat(api.post("/api/funds-transfers", b.key(), ApiClient.map("bankAccountId", ofB,
                    "type", "withdrawal", "amount", "100")).status()).isEqualTo(200);
        } finally {
            fanOut.start();
        }

        // Once the fan-out has passed them all, their deliveries are all there is. Its stored token says so whichever
        // node took it on: another cached context on this database may claim it while this one's is stopped.
        long head = eventStore.createHeadToken().position().orElseThrow();
        // The stored position can pass them before this test sees every delivery (a run saw it so once, cause not
        // found): wait for both, then check that nothing more came.
        await().atMost(WAIT).until(() -> jdbc.sql("""
                        SELECT COALESCE(MIN((convert_from(token, 'UTF8')::json->>'index')::bigint), 0)
                        FROM token_entry WHERE processor_name = ?""")
                .param(WebhookFanOut.PROCESSING_GROUP).query(Long.class).single() >= head
                && deliveries(a, endpointIdOf(a, receiverA.url())).size() >= 2
                && deliveries(b, endpointIdOf(b, typedB.url())).size() >= 1);
        assertThat(deliveries(a, endpointIdOf(a, receiverA.url()))).hasSize(2);
        assertThat(deliveries(b, endpointIdOf(b, typedB.url()))).hasSize(1);
        awaitReceived(receiverA, 2);
        awaitReceived(typedB, 1);
        assertThat(receiverA.received()).extracting(Received::body).satisfiesExactlyInAnyOrder(
                body -> assertThat(body).contains(ofA.get(0)), body -> assertThat(body).contains(ofA.get(2)));
        assertThat(typedB.received()).singleElement()
                .satisfies(r -> assertThat(r.body()).contains("funds-transfer.created").contains(ofB));
    }

    @Test
    void anAccountsEndpointNeverReceivesAnotherAccountsEvents() {
        TestAccount a = newAccount(true);
        TestAccount b = newAccount(true);
        WebhookReceiver receiverA = receiver();
        WebhookReceiver receiverB = receiver();
        endpoint(a, receiverA.url(), null);
        endpoint(b, receiverB.url(), null);
        // Only bank-account.created reaches this one.
        WebhookReceiver typedA = receiver();
        endpoint(a, typedA.url(), List.of("bank-account.created"));

        String ofA = newBankAccount(a);
        api.post("/api/funds-transfers", a.key(), ApiClient.map("bankAccountId", ofA, "type", "withdrawal",
                "amount", "100"));
        String ofB = newBankAccount(b);

        List<Received> atB = awaitReceived(receiverB, 1);
        awaitReceived(receiverA, 3);
        awaitReceived(typedA, 1);
        // Everything of A has been delivered to A, and B's own event to B: nothing of A's went to B.
        String typedId = endpointIdOf(a, typedA.url());
        await().atMost(WAIT).until(() -> firstStatus(a, typedId).equals("succeeded"));
        assertThat(receiverB.received()).hasSize(1);
        assertThat(atB.get(0).body()).contains(ofB).contains("\"accountId\":\"" + b.id() + "\"").doesNotContain(a.id());
        assertThat(receiverA.received()).allSatisfy(request -> assertThat(request.body()).doesNotContain(b.id()));
        assertThat(typedA.received()).hasSize(1);
        assertThat(typedA.received().get(0).body()).contains("bank-account.created").contains(ofA);
    }

    /** Nobody listens, so no body is written; an endpoint's account has each event's body, for its deliveries. */
    @Test
    void onlyAccountsWithAnEnabledEndpointHaveTheirEventsRecorded() {
        TestAccount quiet = newAccount(true);
        TestAccount listening = newAccount(true);
        WebhookReceiver receiver = receiver();
        endpoint(listening, receiver.url(), null);

        newBankAccount(quiet);
        String ofListening = newBankAccount(listening);

        awaitReceived(receiver, 1);
        assertThat(recordedEventsOf(quiet)).isZero();
        assertThat(recordedEventsOf(listening)).isEqualTo(1);
        assertThat(receiver.received().get(0).body()).contains(ofListening);

        // Once its account has one, a later event is delivered (nothing of the quiet time is).
        WebhookReceiver late = receiver();
        endpoint(quiet, late.url(), null);
        String ofQuiet = newBankAccount(quiet);
        assertThat(awaitReceived(late, 1)).singleElement().satisfies(r -> assertThat(r.body()).contains(ofQuiet));
        assertThat(recordedEventsOf(quiet)).isEqualTo(1);
    }

    private long recordedEventsOf(TestAccount account) {
        return jdbc.sql("SELECT COUNT(*) FROM webhook_event WHERE account_id = ?").param(account.id())
                .query(Long.class).single();
    }

    private String endpointIdOf(TestAccount account, String url) {
        for (JsonNode item : api.get("/api/accounts/" + account.id() + "/webhook-endpoints", account.key()).json()
                .get("items")) {
            if (item.get("url").asString().equals(url)) {
                return item.get("id").asString();
            }
        }
        throw new AssertionError("no endpoint " + url);
    }

    /**
     * A slow endpoint (each answer held half a second, then an error) has one send in flight at a
     * time, and another endpoint of the same account gets all its events meanwhile.
     */
    @Test
    void aSlowEndpointHoldsOneSendAtATimeAndDelaysNoOtherEndpoint() {
        TestAccount account = newAccount(true);
        WebhookReceiver slow = receiver();
        WebhookReceiver healthy = receiver();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        slow.answer(() -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
            return new MockResponse().setResponseCode(500);
        });
        endpoint(account, slow.url(), List.of("bank-account.created"));
        endpoint(account, healthy.url(), List.of("bank-account.created"));
        for (int i = 0; i < 8; i++) {
            newBankAccount(account);
        }
        awaitReceived(healthy, 8);
        assertThat(healthy.received()).hasSize(8);
        awaitReceived(slow, 3);
        assertThat(mostInFlight.get()).isEqualTo(1);
    }

    @Test
    void aFailingReceiverIsRetriedWithTheSameIdUntilItAnswers() throws Exception {
        TestAccount account = newAccount(true);
        WebhookReceiver receiver = receiver();
        receiver.answer(500);
        JsonNode endpoint = endpoint(account, receiver.url(), List.of("bank-account.created"));
        newBankAccount(account);

        awaitReceived(receiver, 2);
        receiver.answer(204);
        List<Received> received = awaitReceived(receiver, 3);
        String endpointId = endpoint.get("id").asString();
        await().atMost(WAIT).until(() -> firstStatus(account, endpointId).equals("succeeded"));
        JsonNode delivery = deliveries(account, endpointId).get(0);
        assertThat(delivery.get("attempts").asInt()).isEqualTo(receiver.received().size());
        assertThat(delivery.get("lastStatusCode").asInt()).isEqualTo(204);
        assertThat(delivery.get("type").asString()).isEqualTo("bank-account.created");
        assertThat(delivery.get("eventId").asString()).isNotBlank();
        assertThat(received).extracting(Received::webhookId).containsOnly(received.get(0).webhookId());
        assertThat(received).extracting(Received::body).containsOnly(received.get(0).body());
        assertThat(received.get(0).webhookId()).isEqualTo("msg_" + delivery.get("id").asString());
    }

    @Test
    void aReceiverDownForAWhileGetsItsEventsWhenItIsBack() {
        TestAccount account = newAccount(true);
        WebhookReceiver receiver = receiver();
        String endpointId = endpoint(account, receiver.url(), null).get("id").asString();
        receiver.goDown();
        String bankAccountId = newBankAccount(account);

        await().atMost(WAIT).until(() -> {
            JsonNode items = deliveries(account, endpointId);
            return items.size() == 1 && items.get(0).get("attempts").asInt() >= 2;
        });
        JsonNode failing = deliveries(account, endpointId).get(0);
        assertThat(failing.get("status").asString()).isEqualTo("pending");
        assertThat(failing.get("nextAttemptAt").asString()).matches(TIMESTAMP);
        assertThat(failing.has("lastStatusCode")).isFalse();
        assertThat(failing.get("lastError").asString()).isEqualTo("could not connect");

        receiver.comeBack();
        List<Received> received = awaitReceived(receiver, 1);
        assertThat(received.get(0).body()).contains(bankAccountId);
        await().atMost(WAIT).until(() -> firstStatus(account, endpointId).equals("succeeded"));
    }

    /** A retry asked for while the delivery is on the wire is sent after that attempt, whatever it answered. */
    @Test
    void aRetryAskedForDuringASendIsSentAfterIt() throws Exception {
        TestAccount account = newAccount(true);
        WebhookReceiver receiver = receiver();
        CountDownLatch onTheWire = new CountDownLatch(1);
        CountDownLatch retried = new CountDownLatch(1);
        receiver.answer(() -> {
            onTheWire.countDown();
            try {
                retried.await(1500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new MockResponse().setResponseCode(200);
        });
        String endpointId = endpoint(account, receiver.url(), null).get("id").asString();
        newBankAccount(account);
        assertThat(onTheWire.await(30, TimeUnit.SECONDS)).isTrue();
        String deliveryId = deliveries(account, endpointId).get(0).get("id").asString();

        Response retry = api.post("/api/webhook-endpoints/" + endpointId + "/deliveries/" + deliveryId + "/retry",
                account.key(), null);
        retried.countDown();

        assertThat(retry.text("status")).as(retry.toString()).isEqualTo("pending");
        awaitReceived(receiver, 2);
        await().atMost(WAIT).until(() -> firstStatus(account, endpointId).equals("succeeded")
                && deliveries(account, endpointId).get(0).get("attempts").asInt() == 2);
    }

    /**
     * A body written under another TOKEN_ENCRYPTION_KEY (a node started with the wrong one) fails its delivery after
     * its retries, and holds up neither the sender nor the endpoint's later deliveries.
     */
    @Test
    void aBodyThisServersKeyCannotReadFailsItsDeliveryAndNoOther() {
        TestAccount account = newAccount(true);
        WebhookReceiver receiver = receiver();
        receiver.goDown();
        String endpointId = endpoint(account, receiver.url(), null).get("id").asString();
        newBankAccount(account);
        await().atMost(WAIT).until(() -> {
            JsonNode items = deliveries(account, endpointId);
            return items.size() == 1 && items.get(0).get("attempts").asInt() >= 1;
        });
        String eventId = deliveries(account, endpointId).get(0).get("eventId").asString();
        String otherKey = new TokenCipher(new byte[32]).encrypt("{\"type\":\"bank-account.created\"}");
        jdbc.sql("UPDATE webhook_event SET body = ? WHERE event_id = ?").params(otherKey, eventId).update();
        receiver.comeBack();

        await().atMost(WAIT).until(() -> firstStatus(account, endpointId).equals("failed"));
        assertThat(deliveries(account, endpointId).get(0).get("lastError").asString())
                .isEqualTo("cannot be read with this server's TOKEN_ENCRYPTION_KEY");
        String later = newBankAccount(account);
        assertThat(awaitReceived(receiver, 1).get(0).body()).contains(later);
    }

    @Test
    void aTlsFailureIsDescribedByItsReason() throws IOException {
        // Plain HTTP behind an https URL: the handshake fails, as with a certificate for another name.
        assertThat(lastErrorOfAReceiverThat(WebhooksApiTest::answerPlainHttp, "https"))
                .matches("TLS (handshake )?failed: .+").doesNotContain("Exception");
    }

    @Test
    void aReceiverThatClosesOrAnswersSomethingElseThanHttpIsDescribedInWords() throws IOException {
        assertThat(lastErrorOfAReceiverThat(receiver -> answerWith(receiver, ""), "http"))
                .isEqualTo("the connection closed without an answer");
        assertThat(lastErrorOfAReceiverThat(
                receiver -> answerWith(receiver, "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"), "http"))
                .isEqualTo("the answer was not valid HTTP");
    }

    /** The first delivery's {@code lastError}, sent to a local socket that answers as {@code answering} does. */
    private String lastErrorOfAReceiverThat(Consumer<ServerSocket> answering, String scheme) throws IOException {
        TestAccount account = newAccount(true);
        try (ServerSocket receiver = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answers = new Thread(() -> answering.accept(receiver));
            answers.setDaemon(true);
            answers.start();
            String endpointId = endpoint(account, scheme + "://localhost:" + receiver.getLocalPort() + "/hooks", null)
                    .get("id").asString();
            newBankAccount(account);

            await().atMost(WAIT).until(() -> deliveries(account, endpointId).size() == 1
                    && deliveries(account, endpointId).get(0).get("attempts").asInt() >= 1);
            return deliveries(account, endpointId).get(0).get("lastError").asString();
        }
    }

    private static void answerPlainHttp(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket connection = server.accept()) {
                connection.getInputStream().read(new byte[512]);
                connection.getOutputStream().write(
                        "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Reads the request whole, answers the bytes and waits for the client to close: nothing cut short by a reset. */
    private static void answerWith(ServerSocket server, String bytes) {
        while (!server.isClosed()) {
            try (Socket connection = server.accept()) {
                InputStream in = connection.getInputStream();
                String head = "";
                while (!head.endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    head += (char) b;
                }
                Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
                in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
                connection.getOutputStream().write(bytes.getBytes(StandardCharsets.US_ASCII));
                connection.shutdownOutput();
                in.readAllBytes();
            } catch (IOException closed) {
                return;
            }
        }
    }


    /** A receiver slower than the timeout (2 s here) is a failure its owner can read as such. */
    @Test
    void aReceiverThatDoesNotAnswerInTimeFailsTheAttemptWithAClearError() {
        TestAccount account = newAccount(true);
        WebhookReceiver receiver = receiver();
        receiver.answer(() -> new MockResponse().setResponseCode(200).setHeadersDelay(3, TimeUnit.SECONDS));
        String endpointId = endpoint(account, receiver.url(), null).get("id").asString();
        newBankAccount(account);

        await().atMost(WAIT).until(() -> {
            JsonNode items = deliveries(account, endpointId);
            return items.size() == 1 && items.get(0).get("attempts").asInt() >= 1;
        });
        JsonNode failing = deliveries(account, endpointId).get(0);
        assertThat(failing.get("status").asString()).isEqualTo("pending");
        assertThat(failing.get("lastError").asString()).isEqualTo("no answer within 2000 ms");
        receiver.answer(200);
    }

    @Test
    void aDeliveryFailsAfterTheLastRetryAndCanBeRetriedByHand() {
        TestAccount account = newAccount(true);
        WebhookReceiver receiver = receiver();
        receiver.answer(503);
        String endpointId = endpoint(account, receiver.url(), null).get("id").asString();
        newBankAccount(account);

        await().atMost(WAIT).until(() -> firstStatus(account, endpointId).equals("failed"));
        JsonNode failed = deliveries(account, endpointId).get(0);
        assertThat(failed.get("attempts").asInt()).isEqualTo(7);
        assertThat(failed.get("lastStatusCode").asInt()).isEqualTo(503);
        assertThat(failed.has("nextAttemptAt")).isFalse();
        assertThat(receiver.received()).hasSize(7);
        // Counted by the process that recorded the last failure; in this test JVM other cached contexts (other
        // nodes on the same database) may be that process, so only the meter's presence is checked here.
        assertThat(meters.find("webhooks.failed").counter()).isNotNull();

        receiver.answer(200);
        Response retried = api.post("/api/webhook-endpoints/" + endpointId + "/deliveries/"
                + failed.get("id").asString() + "/retry", account.key(), null);
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.text("status")).isEqualTo("pending");
        await().atMost(WAIT).until(() -> firstStatus(account, endpointId).equals("succeeded"));
        assertThat(deliveries(account, endpointId).get(0).get("attempts").asInt()).isEqualTo(8);

        Response unknown = api.post("/api/webhook-endpoints/" + endpointId + "/deliveries/WRhAxxWpTKb5U7pXyxQjjY/retry",
                account.key(), null);
        assertRefused(unknown, 404, "WEBHOOK_DELIVERY_NOT_FOUND");

        // Nothing is sent to a disabled endpoint: a retry by hand would only count an attempt that never was.
        assertThat(api.post("/api/webhook-endpoints/" + endpointId + "/disable", account.key(), null).status())
                .isEqualTo(200);
        assertRefused(api.post("/api/webhook-endpoints/" + endpointId + "/deliveries/" + failed.get("id").asString()
                + "/retry", account.key(), null), 403, "WEBHOOK_ENDPOINT_ALREADY_DISABLED");
        JsonNode after = deliveries(account, endpointId).get(0);
        assertThat(after.get("status").asString()).isEqualTo("succeeded");
        assertThat(after.get("attempts").asInt()).isEqualTo(8);
    }

    @Test
    void aDisabledEndpointReceivesNothingMore() {
        TestAccount account = newAccount(true);
        WebhookReceiver receiver = receiver();
        String endpointId = endpoint(account, receiver.url(), null).get("id").asString();
        Response disabled = api.post("/api/webhook-endpoints/" + endpointId + "/disable", account.key(), null);
        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
        assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
        assertRefused(api.post("/api/webhook-endpoints/" + endpointId + "/disable", account.key(), null), 403,
                "WEBHOOK_ENDPOINT_ALREADY_DISABLED");

        WebhookReceiver other = receiver();
        endpoint(account, other.url(), null);
        newBankAccount(account);
        awaitReceived(other, 1);
        assertThat(receiver.received()).isEmpty();
        assertThat(deliveries(account, endpointId)).isEmpty();
    }

    @Test
    void urlsOfLiveAccountsMustBeHttpsToPublicAddresses() {
        TestAccount live = newAccount(false);
        for (String url : List.of("https://10.1.2.3/hooks", "https://192.168.0.10/hooks", "https://172.16.5.4/",
                "https://127.0.0.1/hooks", "https://localhost/hooks", "https://169.254.169.254/latest/meta-data",
                "https://100.64.0.1/", "https://0.0.0.0/", "https://[::1]/", "https://[fd00::1]/",
                "https://[fe80::1]/", "https://[::ffff:10.0.0.1]/", "https://224.0.0.1/",
                "http://93.184.216.34/hooks", "ftp://93.184.216.34/", "https://user:pw@93.184.216.34/", "not a url")) {
            Response refused = createEndpoint(live, url, null);
            assertThat(refused.status()).as(url + " " + refused).isEqualTo(400);
            assertThat(refused.message()).as(url).startsWith("url ");
        }
        Response accepted = createEndpoint(live, "https://93.184.216.34/hooks", null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
    }

    @Test
    void testAccountsMayAlsoUseHttpAndLoopbackButNotPrivateAddresses() {
        TestAccount test = newAccount(true);
        assertThat(createEndpoint(test, "http://127.0.0.1:9/hooks", null).status()).isEqualTo(200);
        assertThat(createEndpoint(test, "http://localhost:9/hooks", null).status()).isEqualTo(200);
        assertThat(createEndpoint(test, "https://[::1]:9/hooks", null).status()).isEqualTo(200);
        assertRefusedUrl(createEndpoint(test, "http://10.0.0.5/hooks", null));
        assertRefusedUrl(createEndpoint(test, "http://169.254.169.254/", null));
    }

    private static void assertRefusedUrl(Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.message()).startsWith("url ");
    }

    @Test
    void badRequestsAreRefused() {
        TestAccount account = newAccount(true);
        Response unknownType = createEndpoint(account, "http://127.0.0.1:9/", List.of("bank-account.deleted"));
        assertRefused(unknownType, 400, "eventTypes holds an unknown event type: bank-account.deleted");
        assertThat(createEndpoint(account, "http://127.0.0.1:9/", List.of()).status()).isEqualTo(400);
        assertThat(api.post("/api/webhook-endpoints", account.key(), ApiClient.map("description", "x")).status())
                .isEqualTo(400);
        Response adminWithout = api.post("/api/webhook-endpoints", ADMIN_KEY, ApiClient.map("url", "http://127.0.0.1:9/"));
        assertRefused(adminWithout, 400, "accountId is required");
        // A blank accountId is bad input, not an account of that name (which answered 404 ACCOUNT_NOT_FOUND).
        assertRefused(api.post("/api/webhook-endpoints", account.key(),
                ApiClient.map("accountId", "", "url", "http://127.0.0.1:9/")), 400, "accountId must not be blank");
        Response adminFor = api.post("/api/webhook-endpoints", ADMIN_KEY,
                ApiClient.map("accountId", account.id(), "url", "http://127.0.0.1:9/"));
        assertThat(adminFor.status()).as(adminFor.toString()).isEqualTo(200);
        assertThat(adminFor.text("createdBy")).isEqualTo("crn::api-key:admin");
        assertRefused(api.post("/api/webhook-endpoints", ADMIN_KEY,
                ApiClient.map("accountId", "WRhAxxWpTKb5U7pXyxQjjY", "url", "http://127.0.0.1:9/")), 404,
                "ACCOUNT_NOT_FOUND");
        assertRefused(api.get("/api/webhook-endpoints/x/deliveries?pageKey=abc", account.key()), 404,
                "WEBHOOK_ENDPOINT_NOT_FOUND");
        String id = adminFor.text("id");
        assertRefused(api.get("/api/webhook-endpoints/" + id + "/deliveries?pageKey=abc", account.key()), 400,
                "pageKey is not a page key from this list");
        assertRefused(api.get("/api/webhook-endpoints/" + id + "/deliveries?pageKey=-1", account.key()), 400,
                "pageKey is not a page key from this list");
        assertRefused(createEndpoint(account, "http://127.0.0.1:99999/", null), 400,
                "url has no valid port (1 to 65535)");
        assertRefused(createEndpoint(account, "http://127.0.0.1:9/", Arrays.asList("", null)), 400,
                "eventTypes holds an unknown event type: ");
        // Many blank types answer at once, with the list's size as the one problem (not one per element).
        Response many = createEndpoint(account, "http://127.0.0.1:9/", Collections.nCopies(20_000, ""));
        assertRefused(many, 400, "eventTypes must have at most 50 items");
        assertThat(many.json().get("details").size()).as(many.toString()).isEqualTo(1);
    }

    @Test
    void deliveriesArePagedWithOpaqueKeysOfTheirOwnList() {
        TestAccount account = newAccount(true);
        String endpointId = endpoint(account, "http://127.0.0.1:9/hooks", List.of("funds-transfer.created"))
                .get("id").asString();
        String otherId = endpoint(account, "http://127.0.0.1:9/other", List.of("funds-transfer.created"))
                .get("id").asString();
        String bankAccountId = newBankAccount(account);
        for (int i = 0; i < 27; i++) {
            Response withdrawal = api.post("/api/funds-transfers", account.key(),
                    ApiClient.map("bankAccountId", bankAccountId, "type", "withdrawal", "amount", "1"));
            assertThat(withdrawal.status()).as(withdrawal.toString()).isEqualTo(200);
        }
        String path = "/api/webhook-endpoints/" + endpointId + "/deliveries";
        await().atMost(WAIT).until(() -> api.get(path, account.key()).json().has("nextPageKey"));
        // Wait for all 27 (the first page is the newest 25), then read them in two pages.
        await().atMost(WAIT).until(() -> {
            JsonNode first = api.get(path, account.key()).json();
            return api.get(path + "?pageKey=" + first.get("nextPageKey").asString(), account.key())
                    .json().get("items").size() == 2;
        });
        JsonNode first = api.get(path, account.key()).json();
        String pageKey = first.get("nextPageKey").asString();
        // Opaque: not the position in the counter every account's deliveries share.
        assertThat(pageKey).doesNotContainPattern("^[0-9]+$").matches("[A-Za-z0-9_-]+");
        JsonNode second = api.get(path + "?pageKey=" + pageKey, account.key()).json();
        assertThat(second.has("nextPageKey")).isFalse();
        List<String> ids = new ArrayList<>();
        first.get("items").forEach(item -> ids.add(item.get("id").asString()));
        second.get("items").forEach(item -> ids.add(item.get("id").asString()));
        assertThat(ids).hasSize(27).doesNotHaveDuplicates();

        // Another endpoint's list, an altered key, a number: not a page key of this list.
        for (String refused : List.of(pageKey.substring(0, pageKey.length() - 2)
                        + (pageKey.endsWith("AA") ? "BA" : "AA"), "12", pageKey + "A")) {
            assertRefused(api.get(path + "?pageKey=" + refused, account.key()), 400,
                    "pageKey is not a page key from this list");
        }
        assertRefused(api.get("/api/webhook-endpoints/" + otherId + "/deliveries?pageKey=" + pageKey, account.key()),
                400, "pageKey is not a page key from this list");
    }

    @Test
    void anotherAccountsKeySeesNoEndpointOfThisOne() {
        TestAccount owner = newAccount(true);
        TestAccount other = newAccount(true);
        String id = endpoint(owner, "http://127.0.0.1:9/hooks", null).get("id").asString();
        assertRefused(api.get("/api/webhook-endpoints/" + id, other.key()), 404, "WEBHOOK_ENDPOINT_NOT_FOUND");
        assertRefused(api.post("/api/webhook-endpoints/" + id + "/disable", other.key(), null), 404,
                "WEBHOOK_ENDPOINT_NOT_FOUND");
        assertRefused(api.get("/api/webhook-endpoints/" + id + "/deliveries", other.key()), 404,
                "WEBHOOK_ENDPOINT_NOT_FOUND");
        assertRefused(api.post("/api/webhook-endpoints/" + id + "/deliveries/WRhAxxWpTKb5U7pXyxQjjY/retry",
                other.key(), null), 404, "WEBHOOK_ENDPOINT_NOT_FOUND");
        assertRefused(api.get("/api/accounts/" + owner.id() + "/webhook-endpoints", other.key()), 404,
                "ACCOUNT_NOT_FOUND");
        assertRefused(api.post("/api/webhook-endpoints", other.key(),
                ApiClient.map("accountId", owner.id(), "url", "http://127.0.0.1:9/")), 404, "ACCOUNT_NOT_FOUND");
        assertRefused(api.get("/api/webhook-endpoints/WRhAxxWpTKb5U7pXyxQjjY", owner.key()), 404,
                "WEBHOOK_ENDPOINT_NOT_FOUND");
        assertThat(api.get("/api/webhook-endpoints/" + id, ADMIN_KEY).status()).isEqualTo(200);
        assertThat(api.get("/api/webhook-endpoints/" + id, owner.key()).status()).isEqualTo(200);
    }

    @Test
    void anAccountHasAtMostTenEnabledEndpointsEvenUnderParallelCreates() throws Exception {
        TestAccount account = newAccount(true);
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(() -> createEndpoint(account, "http://127.0.0.1:9/hooks", null));
        }
        List<Response> responses = inParallel(calls);
        assertThat(responses).filteredOn(response -> response.status() == 200).hasSize(10);
        assertThat(responses).filteredOn(response -> response.status() == 403)
                .allSatisfy(response -> assertThat(response.message()).isEqualTo("WEBHOOK_ENDPOINT_LIMIT_EXCEEDED"))
                .hasSize(2);
        JsonNode items = api.get("/api/accounts/" + account.id() + "/webhook-endpoints", account.key()).json()
                .get("items");
        assertThat(items).hasSize(10);

        // A disabled endpoint frees its place.
        String first = items.get(0).get("id").asString();
        assertThat(api.post("/api/webhook-endpoints/" + first + "/disable", account.key(), null).status())
                .isEqualTo(200);
        assertThat(createEndpoint(account, "http://127.0.0.1:9/hooks", null).status()).isEqualTo(200);
        assertRefused(createEndpoint(account, "http://127.0.0.1:9/hooks", null), 403,
                "WEBHOOK_ENDPOINT_LIMIT_EXCEEDED");
    }
}
