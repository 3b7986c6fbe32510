package com.bankaccounts.platform.audit;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Makes a seal checkpoint every {@code app.audit.checkpoint-interval} (default 1 minute) on every node; the
 * checkpoint's advisory lock lets one node at a time write it, and a node that finds nothing new writes nothing.
 */
@Component
public class SealCheckpointSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SealCheckpointSchedule.class);

    private final EventSeals seals;
    private final Duration interval;
    private ScheduledExecutorService executor;

    public SealCheckpointSchedule(EventSeals seals,
                                  @Value("${app.audit.checkpoint-interval:1m}") Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("app.audit.checkpoint-interval must be positive, got " + interval);
        }
        this.seals = seals;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "event-seal-checkpoints");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                seals.checkpoint();
            } catch (RuntimeException e) {
                // A failed checkpoint must not end the schedule (the database may be back on the next).
                log.warn("Event seal checkpoint: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
