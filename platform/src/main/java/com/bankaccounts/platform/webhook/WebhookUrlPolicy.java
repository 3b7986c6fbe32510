package com.bankaccounts.platform.webhook;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.persistence.EmbeddedPostgresConfiguration;
import com.bankaccounts.platform.web.ApiException;
import jakarta.annotation.PreDestroy;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Where webhooks may go. Live accounts: {@code https} to public addresses only. Test accounts may also use
 * {@code http}, and loopback where {@code app.webhooks.test-loopback} allows it: by default on the embedded database
 * (a developer's own machine), not on a configured one (a shared server, whose loopback is the operator's: a test
 * account could probe its ports and read the answers in its deliveries). Never private, link-local or other
 * non-public addresses. Checked at registration and again at each delivery, on the addresses the host resolves to
 * then.
 */
@Component
public final class WebhookUrlPolicy {

    /** Lookups in flight at once, per process (a lookup that hangs keeps its thread until the system gives up). */
    private static final int MAX_LOOKUPS = 8;
    /**
     * Of those, one account's: hosts whose name servers never answer, registered by one account, leave the others
     * half of the lookups (accounts are made by the platform's admin, so one client cannot just open more).
     */
    static final int MAX_LOOKUPS_PER_ACCOUNT = MAX_LOOKUPS / 2;
    static final String NOT_IN_TIME = "url host did not resolve in time";
    /** A host that is an address (IPv4 dotted, or IPv6 in brackets): Java parses it without asking DNS. */
    private static final Pattern IP_LITERAL = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}|\\[[0-9A-Fa-f:.]+]");

    /** A host's addresses, as {@link InetAddress#getAllByName} answers them (tests give names their own). */
    @FunctionalInterface
    public interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean testLoopback;
    private final Duration lookupTimeout;
    private final HostResolver resolver;
    /**
     * Java's own lookup has no time limit (the system resolver's retries can take half a minute), and a request waits
     * on it, holding a database connection when it has an Idempotency-Key: so it runs here, bounded in time and
     * number.
     */
    private final ExecutorService lookups;
    /**
     * Lookups running, in all and per account, each held until its lookup ends (not until its caller stops waiting).
     * A caller waits a moment for one, so that lookups that are merely many at once (an account registering its
     * endpoints in parallel) take turns; only lookups that hang for longer than that turn callers away.
     */
    private final Semaphore running = new Semaphore(MAX_LOOKUPS);
    private final ConcurrentHashMap<String, Semaphore> runningByAccount = new ConcurrentHashMap<>();
    private final Duration admissionWait;

    @Autowired
    public WebhookUrlPolicy(@Value("${app.webhooks.test-loopback:}") String testLoopback,
                            @Value("${spring.datasource.url:}") String datasourceUrl,
                            @Value("${app.webhooks.dns-timeout}") Duration lookupTimeout) {
        this(testLoopback, datasourceUrl, lookupTimeout, InetAddress::getAllByName);
    }

    public WebhookUrlPolicy(String testLoopback, String datasourceUrl, Duration lookupTimeout, HostResolver resolver) {
        this.testLoopback = switch (testLoopback.strip().toLowerCase(Locale.ROOT)) {
            case "" -> EmbeddedPostgresConfiguration.inUse(datasourceUrl);
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    "app.webhooks.test-loopback (APP_WEBHOOKS_TEST_LOOPBACK) must be true or false");
        };
        this.lookupTimeout = lookupTimeout;
        this.admissionWait = admissionWait(lookupTimeout);
        this.resolver = resolver;
        CustomizableThreadFactory threads = new CustomizableThreadFactory("webhook-dns-");
        threads.setDaemon(true);
        // As many threads as lookups are let in (the permits bound them), none kept idle past 30 s.
        this.lookups = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                threads);
    }

    @PreDestroy
    void stop() {
        lookups.shutdownNow();
    }

    /** How long a caller waits for its turn to look up: half the lookup's own time. */
    private static Duration admissionWait(Duration lookupTimeout) {
        return lookupTimeout.dividedBy(2);
    }

    /** The longest {@link #checkAddresses} takes with this lookup timeout: the wait for a turn, and the lookup. */
    public static Duration longestCheck(Duration lookupTimeout) {
        return admissionWait(lookupTimeout).plus(lookupTimeout);
    }

    /** Why the URL's form is refused (scheme, host, credentials), if it is. DNS is not consulted. */
    public static Optional<String> checkForm(String url, boolean test) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(test && scheme.equals("http"))) {
            return Optional.of(test ? "url must be http or https" : "url must be https for a live account");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return Optional.of("url must name a host");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            return Optional.of("url has no valid port (1 to 65535)");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("url must not hold credentials");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("url must not hold a fragment");
        }
        return Optional.empty();
    }

    /**
     * Resolves the URL's host and answers why one of its addresses is refused, if one is. Every address must pass,
     * so a name that also points inside cannot be used.
     *
     * @param account whose endpoint this is: its lookups in flight are bounded on their own
     * @throws ApiException 503 when no lookup can be made now (all lookups busy, the account's share busy, or this
     *     thread interrupted): not the URL's fault
     */
    public Optional<String> checkAddresses(String url, boolean test, String account) {
        return resolve(url, test, account).refusal();
    }

    /**
     * The URL's addresses, each of them allowed, or why it is refused. A sender connects to these addresses and never
     * looks the name up again, so a name whose answer changes after the check (DNS rebinding) cannot lead past it.
     *
     * @throws ApiException 503 as {@link #checkAddresses}
     */
    public Resolved resolve(String url, boolean test, String account) {
        Optional<String> form = checkForm(url, test);
        if (form.isPresent()) {
            return Resolved.refused(form.get());
        }
        String host = URI.create(url).getHost();
        List<InetAddress> addresses;
        if (IP_LITERAL.matcher(host).matches()) {
            // An address, not a name: nothing to look up, and nothing to wait for.
            try {
                addresses = List.of(resolver.resolve(host));
            } catch (UnknownHostException e) {
                return Resolved.refused("url host does not resolve");
            }
            return checked(addresses, test);
        }
        Lookup lookup = admit(host, account);
        try {
            addresses = List.of(lookup.task.get(lookupTimeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            lookup.task.cancel(true);
            return Resolved.refused(NOT_IN_TIME);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException) {
                return Resolved.refused("url host does not resolve");
            }
            throw new IllegalStateException("Looking up a webhook URL's host failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lookup.task.cancel(true);
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE);
        }
        return checked(addresses, test);
    }

    /**
     * A URL's host resolved: its addresses, every one allowed, or why one is not.
     *
     * @param addresses in the resolver's order; empty when refused
     */
    public record Resolved(List<InetAddress> addresses, Optional<String> refusal) {

        static Resolved refused(String why) {
            return new Resolved(List.of(), Optional.of(why));
        }
    }

    /** The addresses, if every one is allowed; else why the first that is not is refused. */
    private Resolved checked(List<InetAddress> addresses, boolean test) {
        if (addresses.isEmpty()) {
            return Resolved.refused("url host does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!allowed(address, test && testLoopback)) {
                // A test account's developer may run this server locally: say what would let it through.
                return Resolved.refused("url must not point to a " + (address.isLoopbackAddress() ? "loopback"
                        : "private, link-local or otherwise non-public") + " address"
                        + (test && address.isLoopbackAddress()
                        ? " (a test account's may, where the server sets APP_WEBHOOKS_TEST_LOOPBACK=true)" : ""));
            }
        }
        return new Resolved(addresses, Optional.empty());
    }

    /**
     * Starts a lookup once it has its account's permit and one of all: waiting for both together at most half the
     * lookup's own time ({@link #longestCheck}), then 503 (not the URL's fault).
     */
    private Lookup admit(String host, String account) {
        Semaphore accounts = runningByAccount.computeIfAbsent(account, key -> new Semaphore(MAX_LOOKUPS_PER_ACCOUNT));
        long deadline = System.nanoTime() + admissionWait.toNanos();
        try {
            if (!accounts.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE);
            }
            if (!running.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                accounts.release();
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE);
        }
        Runnable permits = () -> {
            running.release();
            accounts.release();
        };
        Lookup lookup = new Lookup(host, permits);
        try {
            lookups.execute(lookup.task);
        } catch (RejectedExecutionException stopping) {
            permits.run();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE);
        }
        return lookup;
    }

    /**
     * One host's lookup, holding its permits until the resolver returns (a cancelled lookup deaf to the interrupt, as
     * the system's is, keeps its thread and so its permits until then), or, cancelled before the resolver was called,
     * until its thread finds it so: given back in exactly one of those places.
     */
    private final class Lookup implements Callable<InetAddress[]> {

        private final String host;
        private final Runnable permits;
        private volatile boolean called;
        final FutureTask<InetAddress[]> task = new FutureTask<>(this) {
            @Override
            public void run() {
                super.run();
                if (!called) {
                    permits.run();
                }
            }
        };

        Lookup(String host, Runnable permits) {
            this.host = host;
            this.permits = permits;
        }

        @Override
        public InetAddress[] call() throws UnknownHostException {
            called = true;
            try {
                return resolver.resolve(host);
            } finally {
                permits.run();
            }
        }
    }

    static boolean allowed(InetAddress address, boolean loopback) {
        if (address.isLoopbackAddress()) {
            return loopback;
        }
        return isPublic(address);
    }

    /** Whether an address is routable on the public internet (not private, link-local, CGNAT, multicast, ...). */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(b);
        }
        if (address instanceof Inet6Address) {
            // The forms that wrap an IPv4 address, all under ::/64: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
            // (::a.b.c.d) and IPv4-translated (::ffff:0:a.b.c.d, RFC 2765).
            boolean zeroPrefix = true;
            for (int i = 0; i < 8; i++) {
                zeroPrefix &= b[i] == 0;
            }
            int word4 = ((b[8] & 0xff) << 8) | (b[9] & 0xff);
            int word5 = ((b[10] & 0xff) << 8) | (b[11] & 0xff);
            if (zeroPrefix && ((word4 == 0 && (word5 == 0xffff || word5 == 0)) || (word4 == 0xffff && word5 == 0))) {
                return false;
            }
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            if (first == 0xfe && (b[1] & 0xc0) == 0x80) {
                return false; // link-local fe80::/10
            }
            if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
                return false; // site-local fec0::/10 (deprecated)
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {
                return false; // documentation 2001:db8::/32
            }
            if (first == 0x20 && b[1] == 0x02) {
                return false; // 6to4 2002::/16 can wrap any IPv4 address
            }
            if (first == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
                return false; // Teredo 2001::/32 likewise
            }
            if (first == 0x20 && b[1] == 0x01 && b[2] == 0 && ((b[3] & 0xf0) == 0x10 || (b[3] & 0xf0) == 0x20)) {
                return false; // ORCHID 2001:10::/28 and ORCHIDv2 2001:20::/28, not routable
            }
            if (first == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0x02 && b[4] == 0 && b[5] == 0) {
                return false; // benchmarking 2001:2::/48
            }
            if (first == 0x3f && (b[1] & 0xff) == 0xff && (b[2] & 0xf0) == 0) {
                return false; // documentation 3fff::/20 (RFC 9637)
            }
            if (first == 0x01 && b[1] == 0 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0
                    && b[7] == 0) {
                return false; // discard-only 100::/64
            }
            if (first == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                return false; // NAT64 64:ff9b::/96 and its local-use 64:ff9b:1::/48 likewise
            }
            return true;
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        return !(a0 == 0                                   // "this network" 0/8
                || a0 == 10                                // private
                || a0 == 127                               // loopback
                || (a0 == 100 && (a1 & 0xc0) == 64)        // CGNAT 100.64/10
                || (a0 == 169 && a1 == 254)                // link-local
                || (a0 == 172 && (a1 & 0xf0) == 16)        // private 172.16/12
                || (a0 == 192 && a1 == 0 && a2 == 0)       // IETF protocol assignments
                || (a0 == 192 && a1 == 0 && a2 == 2)       // documentation
                || (a0 == 192 && a1 == 88 && a2 == 99)     // 6to4 relay anycast, deprecated
                || (a0 == 192 && a1 == 168)                // private
                || (a0 == 198 && (a1 & 0xfe) == 18)        // benchmarking 198.18/15
                || (a0 == 198 && a1 == 51 && a2 == 100)    // documentation
                || (a0 == 203 && a1 == 0 && a2 == 113)     // documentation
                || a0 >= 224);                             // multicast, reserved, broadcast
    }
}
