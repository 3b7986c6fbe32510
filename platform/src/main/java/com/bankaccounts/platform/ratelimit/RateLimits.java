package com.bankaccounts.platform.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The request limits of this node: per account ({@code app.rate-limit.requests-per-minute}, default 200) and, for
 * requests answered 401, per client address ({@code app.rate-limit.unauthenticated-per-minute}, default 20); 0 turns a
 * limit off. Each is a resilience4j rate limiter with a one-minute window. The limiters live in bounded caches, so
 * memory cannot grow with the number of callers; a limiter dropped from a full cache starts again full, which only
 * ever lets a caller through sooner. Nothing is shared between nodes: each node counts what it serves.
 */
@Component
public class RateLimits {

    public static final String LIMIT = "RateLimit-Limit";
    public static final String REMAINING = "RateLimit-Remaining";
    public static final String RESET = "RateLimit-Reset";
    public static final String RETRY_AFTER = "Retry-After";

    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final Tier accounts;
    private final Tier addresses;

    public RateLimits(@Value("${app.rate-limit.requests-per-minute:200}") int requestsPerMinute,
                      @Value("${app.rate-limit.unauthenticated-per-minute:20}") int unauthenticatedPerMinute,
                      @Value("${app.rate-limit.max-tracked:100000}") long maxTracked) {
        this.accounts = new Tier("account", requestsPerMinute, maxTracked);
        this.addresses = new Tier("address", unauthenticatedPerMinute, maxTracked);
    }

    /** Counts a request of the account (or the admin key); false when it is over its limit. Sets the limit headers. */
    public boolean tryAccount(String account, HttpServletResponse response) {
        return accounts.tryAcquire(account, response);
    }

    /** True when the address has used up its 401s for this window (the limit headers are then set). Counts nothing. */
    public boolean addressBlocked(String address, HttpServletResponse response) {
        return addresses.exhausted(address, response);
    }

    /** Counts a 401 answered to the address; false when it went over its limit. Sets the limit headers. */
    public boolean tryAuthenticationFailure(String address, HttpServletResponse response) {
        return addresses.tryAcquire(address, response);
    }

    private record Window(RateLimiter limiter, long startedNanos) {

        /** Seconds until this window's permits are refilled (resilience4j's cycles start when the limiter does). */
        long secondsToReset() {
            long period = WINDOW.toNanos();
            long intoCycle = Math.floorMod(System.nanoTime() - startedNanos, period);
            return Math.max(1, (long) Math.ceil((period - intoCycle) / 1e9));
        }
    }

    private static final class Tier {

        private final String name;
        private final int limit;
        private final RateLimiterConfig config;
        private final Cache<String, Window> windows;

        Tier(String name, int limit, long maxTracked) {
            this.name = name;
            this.limit = limit;
            this.config = limit <= 0 ? null : RateLimiterConfig.custom()
                    .limitForPeriod(limit)
                    .limitRefreshPeriod(WINDOW)
                    .timeoutDuration(Duration.ZERO)
                    .build();
            // A caller idle for a whole window would find its limiter full again anyway.
            this.windows = Caffeine.newBuilder()
                    .maximumSize(maxTracked)
                    .expireAfterAccess(WINDOW.multipliedBy(2))
                    .build();
        }

        boolean tryAcquire(String key, HttpServletResponse response) {
            if (config == null) {
                return true;
            }
            Window window = window(key);
            boolean permitted = window.limiter().acquirePermission();
            headers(window, permitted, response);
            return permitted;
        }

        boolean exhausted(String key, HttpServletResponse response) {
            if (config == null) {
                return false;
            }
            Window window = windows.getIfPresent(key);
            if (window == null || window.limiter().getMetrics().getAvailablePermissions() > 0) {
                return false;
            }
            headers(window, false, response);
            return true;
        }

        private Window window(String key) {
            return windows.get(key, k -> {
                long started = System.nanoTime();
                return new Window(RateLimiter.of(name, config), started);
            });
        }

        private void headers(Window window, boolean permitted, HttpServletResponse response) {
            long reset = window.secondsToReset();
            int remaining = Math.max(0, window.limiter().getMetrics().getAvailablePermissions());
            response.setHeader(LIMIT, Integer.toString(limit));
            response.setHeader(REMAINING, Integer.toString(remaining));
            response.setHeader(RESET, Long.toString(reset));
            if (!permitted) {
                response.setHeader(RETRY_AFTER, Long.toString(reset));
            }
        }
    }
}
