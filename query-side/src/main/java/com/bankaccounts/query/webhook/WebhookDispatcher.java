package com.bankaccounts.query.webhook;

import com.bankaccounts.platform.crypto.TokenCipher;
import com.bankaccounts.platform.web.ApiException;
import com.bankaccounts.platform.webhook.WebhookUrlPolicy;
import com.bankaccounts.platform.webhook.WebhookUrlPolicy.Resolved;
import com.bankaccounts.query.webhook.WebhookDeliveries.Claimed;
import com.bankaccounts.query.webhook.WebhookDeliveries.RecordedEvent;
import com.bankaccounts.query.webhook.WebhookEndpointReadModel.StoredEndpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends due deliveries. Each poll claims what this node has room for in one short transaction (FOR UPDATE SKIP
 * LOCKED, so nodes share the work), sends outside any transaction on a bounded pool, and records each outcome in a
 * statement of its own: no database connection is held while an endpoint is waited for, and an endpoint has at most
 * one delivery in flight, so a slow or dead one holds one thread at a time and never delays the others. A node that
 * dies mid-send leaves its claim to expire (the lease); then another node sends it again (at least once).
 */
@Component
public class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final WebhookDeliveries deliveries;
    private final WebhookEndpointReadModel endpoints;
    private final TokenCipher cipher;
    private final WebhookProperties properties;
    private final WebhookUrlPolicy urlPolicy;
    private final TransactionTemplate transactions;
    private final SSLContext tls;
    private final Counter failed;
    /** Room left in a lease for recording a send's outcome after it (within the 5 s the lease rule keeps spare). */
    private static final Duration RECORDING_TIME = Duration.ofSeconds(2);
    /** This start's batches in flight: a new one per start, as a stopped start's senders may still end later. */
    private volatile AtomicInteger inFlight = new AtomicInteger();
    private volatile ScheduledExecutorService poller;
    private volatile ThreadPoolExecutor senders;
    private volatile WebhookPoster poster;

    @Autowired
    public WebhookDispatcher(WebhookDeliveries deliveries, WebhookEndpointReadModel endpoints, TokenCipher cipher,
                             WebhookProperties properties, TransactionTemplate transactions, MeterRegistry meters,
                             WebhookUrlPolicy urlPolicy) {
        this(deliveries, endpoints, cipher, properties, transactions, meters, urlPolicy, jvmTls());
    }

    private static SSLContext jvmTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no default TLS context", e);
        }
    }

    /** @param tls whose trusted issuers a receiver's certificate must chain to (the JVM's by default) */
    WebhookDispatcher(WebhookDeliveries deliveries, WebhookEndpointReadModel endpoints, TokenCipher cipher,
                      WebhookProperties properties, TransactionTemplate transactions, MeterRegistry meters,
                      WebhookUrlPolicy urlPolicy, SSLContext tls) {
        this.deliveries = deliveries;
        this.urlPolicy = urlPolicy;
        this.endpoints = endpoints;
        this.cipher = cipher;
        this.properties = properties;
        this.transactions = transactions;
        this.tls = tls;
        this.failed = Counter.builder("webhooks.failed")
                .description("Webhook deliveries that failed for good (every retry used), "
                        + "not those of a disabled endpoint")
                .register(meters);
    }

    @Override
    public void start() {
        int threads = properties.maxConcurrentDeliveries();
        // Batches a stop dropped from the queue never counted themselves out, and its senders still running count out
        // of their own start's counter.
        inFlight = new AtomicInteger();
        // A queue, not a hand-off: a sender counts itself free just before its thread is back for work, and a batch
        // claimed in that moment waited out its lease when the hand-off was refused. inFlight bounds what is queued.
        ThreadFactory senderThreads = runnable -> {
            Thread thread = new Thread(runnable, "webhook-sender");
            thread.setDaemon(true);
            return thread;
        };
        senders = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                senderThreads);
        poster = new WebhookPoster(properties.connectTimeout(), properties.timeout(), threads, tls);
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "webhook-poller");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::pollQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        poller.shutdownNow();
        senders.shutdownNow();
        // A blocked socket does not see the interrupt: cancelled, its sender stops without recording an attempt.
        poster.close();
        try {
            senders.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return poller != null && !poller.isShutdown();
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            // The database may be away for a while; the next poll tries again.
            log.warn("webhook poll failed: {}", e.toString());
        }
    }

    void poll() {
        // This start's pool, poster and count together: a poll that outlived a stop hands its batches to the stopped
        // pool, which refuses them (their claims expire), not to a new start's.
        AtomicInteger inFlight = this.inFlight;
        ThreadPoolExecutor senders = this.senders;
        WebhookPoster poster = this.poster;
        int room = properties.maxConcurrentDeliveries() - inFlight.get();
        if (room <= 0) {
            return;
        }
        long claimedAt = System.nanoTime();
        List<List<Claimed>> claimed = transactions.execute(status ->
                deliveries.claimDue(room, batchSize(), properties.maxConcurrentPerAccount(), properties.lease()));
        long leaseEnd = claimedAt + properties.lease().toNanos();
        for (List<Claimed> batch : claimed) {
            inFlight.incrementAndGet();
            try {
                senders.execute(() -> {
                    try {
                        // One endpoint's deliveries one after the other: it never has two in flight.
                        for (Claimed delivery : batch) {
                            if (Thread.currentThread().isInterrupted()
                                    || !withinLease(leaseEnd, properties.sendTime())) {
                                return;
                            }
                            sendQuietly(delivery, poster, leaseEnd);
                        }
                    } finally {
                        inFlight.decrementAndGet();
                        pollSoon();
                    }
                });
            } catch (RuntimeException rejected) {
                // Shutting down: the claims expire and a node sends them later.
                inFlight.decrementAndGet();
            }
        }
    }

    /**
     * Whether a step taking {@code needed} at most still ends within the claim's lease (the database's waits are not in
     * the batch's size): a send that could not is left to the next claim, so that it is never in flight twice.
     */
    private static boolean withinLease(long leaseEnd, Duration needed) {
        return leaseEnd - System.nanoTime() > needed.plus(RECORDING_TIME).toNanos();
    }

    /** A sender is free again: look for more now rather than at the next tick, so a busy endpoint keeps pace. */
    private void pollSoon() {
        try {
            poller.execute(this::pollQuietly);
        } catch (RuntimeException stopping) {
            // The poller is shutting down.
        }
    }

    /**
     * As many as one lease covers when each takes the whole time it may (its host's lookup, connecting, the answer),
     * so no claim runs out while its batch waits.
     */
    private int batchSize() {
        long fits = properties.lease().minusSeconds(5).toMillis() / Math.max(1, properties.sendTime().toMillis());
        return (int) Math.max(1, Math.min(fits, 20));
    }

    /** Whatever fails in one delivery (the database, a bug) ends neither the batch nor the sender's thread. */
    private void sendQuietly(Claimed delivery, WebhookPoster poster, long leaseEnd) {
        try {
            send(delivery, poster, leaseEnd);
        } catch (RuntimeException e) {
            // Its claim expires and a node sends it again.
            log.error("Webhook delivery {} could not be sent: {}", delivery.id(), e.toString());
        }
    }

    private void send(Claimed delivery, WebhookPoster poster, long leaseEnd) {
        Optional<StoredEndpoint> endpoint = endpoints.findById(delivery.endpointId());
        Optional<RecordedEvent> event = deliveries.findEvent(delivery.eventId());
        if (endpoint.isEmpty()) {
            // Every delivery is made for an endpoint of the read model: a fault, not an owner's choice.
            end(delivery, "endpoint not found", true);
            return;
        }
        if (!endpoint.get().response().enabled()) {
            end(delivery, "endpoint disabled", false);
            return;
        }
        if (event.isEmpty()) {
            // Only a process older than the event's recording without a body (V14) could have made this delivery.
            end(delivery, "event has no body", true);
            return;
        }
        String url = endpoint.get().response().url();
        Resolved resolved;
        try {
            resolved = urlPolicy.resolve(url, endpoint.get().test(), endpoint.get().response().accountId());
        } catch (ApiException noLookupNow) {
            // All lookups busy, or stopping: not the endpoint's fault, so no attempt is counted; the claim expires and
            // a node sends it again.
            log.warn("Webhook delivery {} put back: its host cannot be looked up now", delivery.id());
            return;
        }
        if (resolved.refusal().isPresent()) {
            fail(delivery, null, resolved.refusal().get());
            return;
        }
        String body;
        List<String> secrets = new ArrayList<>();
        try {
            body = cipher.decrypt(event.get().body());
            secrets.add(cipher.decrypt(endpoint.get().encryptedSecret()));
            for (String earlier : endpoint.get().earlierEncryptedSecrets()) {
                secrets.add(cipher.decrypt(earlier));
            }
        } catch (IllegalStateException e) {
            // Written under another TOKEN_ENCRYPTION_KEY (a node started with the wrong one): a failed attempt, retried
            // on the schedule (a node with the right key may take it), and the endpoint's later deliveries go on.
            log.error("Webhook delivery {} cannot be read with this node's TOKEN_ENCRYPTION_KEY", delivery.id());
            fail(delivery, null, "cannot be read with this server's TOKEN_ENCRYPTION_KEY");
            return;
        }
        if (!withinLease(leaseEnd, properties.connectTimeout().plus(properties.timeout()))) {
            return; // the lookup or the database took the lease's time; the next claim sends it
        }
        String webhookId = "msg_" + delivery.id();
        long timestamp = Instant.now().getEpochSecond();
        // After a rotation, the earlier secrets still in their time sign too (Standard Webhooks: signatures separated
        // by spaces), so a receiver that still has one of them verifies.
        StringJoiner signature = new StringJoiner(" ");
        for (String secret : secrets) {
            signature.add(WebhookSignature.sign(secret, webhookId, timestamp, body));
        }
        int status;
        try {
            // The first address checked, as a client that looked the name up itself would connect to.
            status = poster.post(URI.create(url), resolved.addresses().get(0), Map.of(
                    "webhook-id", webhookId,
                    "webhook-timestamp", Long.toString(timestamp),
                    "webhook-signature", signature.toString()), body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                return; // stopping: the claim expires and the delivery is sent again
            }
            fail(delivery, null, describe(e));
            return;
        }
        if (status >= 200 && status < 300) {
            deliveries.recordSuccess(delivery, status);
        } else {
            fail(delivery, status, "answered " + status);
        }
    }

    /** What went wrong, as the endpoint's owner reads it in {@code lastError}. */
    String describe(IOException failure) {
        Throwable root = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectTimeoutException) {
                return "no connection within " + properties.connectTimeout().toMillis() + " ms";
            }
            if (cause instanceof WebhookPoster.NoHandshake) {
                return "no TLS handshake within " + properties.connectTimeout().toMillis() + " ms";
            }
            if (cause instanceof ConnectException) {
                return "could not connect";
            }
            if (cause instanceof SocketTimeoutException || cause instanceof WebhookPoster.TimedOut) {
                return "no answer within " + properties.timeout().toMillis() + " ms";
            }
            if (cause instanceof SSLException) {
                // The JDK's reason is the one the receiver's owner needs (a name the certificate does not hold, an
                // issuer not trusted, plain HTTP on an https URL), deepest in the chain.
                Throwable reason = cause;
                while (reason.getCause() != null) {
                    reason = reason.getCause();
                }
                return (cause instanceof SSLHandshakeException ? "TLS handshake failed" : "TLS failed")
                        + (reason.getMessage() == null ? "" : ": " + reason.getMessage());
            }
            if (cause instanceof NoHttpResponseException) {
                return "the connection closed without an answer";
            }
            if (cause instanceof HttpException || cause instanceof ClientProtocolException) {
                return "the answer was not valid HTTP";
            }
            root = cause;
        }
        // The library's words, without its class name: the endpoint's owner reads this, not our logs.
        return "the connection failed" + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** A failed attempt: retried on the schedule, then failed for good, which the counter counts. */
    private void fail(Claimed delivery, Integer status, String error) {
        List<Duration> schedule = properties.retrySchedule();
        Duration retryIn = delivery.roundFailures() >= schedule.size() ? null : schedule.get(delivery.roundFailures());
        if (deliveries.recordFailure(delivery, status, error, retryIn)) {
            failed.increment();
        }
    }

    /**
     * A delivery that cannot be sent at all, failed at once. A disabled endpoint's is not counted: its owner chose
     * that, and an operator's alert on the counter should not fire for it.
     */
    private void end(Claimed delivery, String error, boolean counted) {
        if (deliveries.recordFailure(delivery, null, error, null) && counted) {
            failed.increment();
        }
    }

    @Override
    public int getPhase() {
        // Stops before the database connections go, starts after them.
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }
}
