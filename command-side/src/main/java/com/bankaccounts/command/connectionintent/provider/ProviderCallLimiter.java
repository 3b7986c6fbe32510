package com.bankaccounts.command.connectionintent.provider;

import io.github.resilience4j.core.exception.AcquirePermissionCancelledException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Caps how many provider calls run at once in this process (a resilience4j bulkhead), so a slow provider cannot tie
 * up every request thread; past the cap a caller waits briefly, then gets 503 PROVIDER_UNAVAILABLE and may retry
 * with the same code.
 */
public class ProviderCallLimiter {

    private final Bulkhead bulkhead;

    public ProviderCallLimiter(int maxConcurrentCalls, Duration maxWait) {
        this.bulkhead = Bulkhead.of("open-banking-provider", BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrentCalls)
                .maxWaitDuration(maxWait)
                .fairCallHandlingStrategyEnabled(true)
                .build());
    }

    public <T> T call(Supplier<T> providerCall) {
        try {
            return bulkhead.executeSupplier(providerCall);
        } catch (BulkheadFullException | AcquirePermissionCancelledException e) {
            throw ProviderFailureException.unavailable();
        }
    }
}
