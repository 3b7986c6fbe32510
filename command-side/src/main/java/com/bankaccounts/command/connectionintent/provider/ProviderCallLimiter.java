package com.bankaccounts.command.connectionintent.provider;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Caps how many provider calls run at once in this process, so a slow provider cannot tie up every request
 * thread; past the cap a caller waits briefly, then gets 503 PROVIDER_UNAVAILABLE and may retry with the same code.
 */
public class ProviderCallLimiter {

    private final Semaphore permits;
    private final Duration maxWait;

    public ProviderCallLimiter(int maxConcurrentCalls, Duration maxWait) {
        this.permits = new Semaphore(maxConcurrentCalls, true);
        this.maxWait = maxWait;
    }

    public <T> T call(Supplier<T> providerCall) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProviderFailureException.unavailable();
        }
        if (!acquired) {
            throw ProviderFailureException.unavailable();
        }
        try {
            return providerCall.get();
        } finally {
            permits.release();
        }
    }
}
