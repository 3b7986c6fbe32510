package com.bankaccounts.command.connectionintent.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProviderCallLimiterTest {

    @Test
    void aCallBeyondTheCapIsRefusedAsUnavailable() throws Exception {
        ProviderCallLimiter limiter = new ProviderCallLimiter(1, Duration.ofMillis(100));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<String> slow = executor.submit(() -> limiter.call(() -> {
                inside.countDown();
                await(release);
                return "slow";
            }));
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> limiter.call(() -> "second"))
                    .isInstanceOfSatisfying(ProviderFailureException.class,
                            e -> assertThat(e.getMessage()).isEqualTo("PROVIDER_UNAVAILABLE"));
            release.countDown();
            assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo("slow");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aPermitIsReturnedEvenWhenTheCallFails() {
        ProviderCallLimiter limiter = new ProviderCallLimiter(1, Duration.ofMillis(100));
        assertThatThrownBy(() -> limiter.call(() -> {
            throw ProviderFailureException.error();
        })).isInstanceOf(ProviderFailureException.class);
        assertThat(limiter.call(() -> "next")).isEqualTo("next");
    }

    @Test
    void aCallerWaitsForASlotFreedWithinTheMaxWait() throws Exception {
        ProviderCallLimiter limiter = new ProviderCallLimiter(1, Duration.ofSeconds(5));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<String> slow = executor.submit(() -> limiter.call(() -> {
                inside.countDown();
                await(release);
                return "slow";
            }));
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture.runAsync(release::countDown,
                    CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));

            assertThat(limiter.call(() -> "second")).isEqualTo("second");
            assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo("slow");
        } finally {
            executor.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
