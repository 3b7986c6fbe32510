package com.bankaccounts.platform.idempotency;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Deletes expired idempotency keys now and then, on every node (the deletes are idempotent; a random first delay
 * spreads the nodes). An expired key is never answered from in the meantime: lookups ignore expired rows. An interval
 * of zero turns the purge off on this node.
 */
public class IdempotencyKeyPurge implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyPurge.class);

    private final IdempotencyKeys keys;
    private final Duration interval;
    private ScheduledExecutorService executor;

    public IdempotencyKeyPurge(IdempotencyKeys keys, Duration interval) {
        this.keys = keys;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (interval.isNegative() || interval.isZero()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "idempotency-key-purge");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        executor.scheduleWithFixedDelay(this::purge, ThreadLocalRandom.current().nextLong(millis) + 1, millis,
                TimeUnit.MILLISECONDS);
    }

    void purge() {
        try {
            int deleted = keys.purgeExpired();
            if (deleted > 0) {
                log.info("Deleted {} expired idempotency keys", deleted);
            }
        } catch (RuntimeException e) {
            log.warn("Could not delete expired idempotency keys: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
