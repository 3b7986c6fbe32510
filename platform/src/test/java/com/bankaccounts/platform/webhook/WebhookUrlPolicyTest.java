package com.bankaccounts.platform.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bankaccounts.platform.web.ApiException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;

class WebhookUrlPolicyTest {

    private static final String ACCOUNT = "an-account";

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.0.0.1", "100.64.0.1", "100.127.255.254", "127.0.0.1", "169.254.169.254",
            "172.16.0.1", "172.31.255.255", "192.168.1.1", "192.0.2.1", "198.18.0.1", "224.0.0.1", "255.255.255.255",
            "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
            "::ffff:0:a00:1", "::ffff:0:7f00:1",
            "2001:db8::1", "64:ff9b::a00:1", "2002:a00:1::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:10::1",
            "100::1", "192.88.99.1", "2001:2::1", "2001:2:0:ffff::1", "2001:20::1", "2001:2f::1", "3fff::1",
            "3fff:fff::1", "64:ff9b:1::a00:1"})
    void nonPublicAddressesAreNeverAllowedForLiveAccounts(String address) throws Exception {
        assertThat(WebhookUrlPolicy.allowed(InetAddress.getByName(address), false)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "100.128.0.1", "172.32.0.1", "2606:4700::1111",
            "2001:4860:4860::8888", "2001:200::1", "2001:3::1", "3fff:1000::1"})
    void publicAddressesAreAllowed(String address) throws Exception {
        assertThat(WebhookUrlPolicy.allowed(InetAddress.getByName(address), false)).isTrue();
        assertThat(WebhookUrlPolicy.allowed(InetAddress.getByName(address), true)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1"})
    void testAccountsMayUseLoopbackWhereAllowed(String address) throws Exception {
        assertThat(WebhookUrlPolicy.allowed(InetAddress.getByName(address), true)).isTrue();
    }

    /** By default on the embedded database (a developer's machine) only: a shared server's loopback is its own. */
    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/api/accounts", "http://localhost:9/hooks", "http://[::1]:9/x"})
    void loopbackIsForTestAccountsOnTheEmbeddedDatabaseOrWhereConfigured(String url) {
        String configured = "jdbc:postgresql://db.internal:5432/bankaccounts";
        assertThat(policy("", "").checkAddresses(url, true, ACCOUNT)).isEmpty();
        assertThat(policy("", configured).checkAddresses(url, true, ACCOUNT))
                .contains("url must not point to a loopback address (a test account's may, where the server sets "
                        + "APP_WEBHOOKS_TEST_LOOPBACK=true)");
        assertThat(policy("true", configured).checkAddresses(url, true, ACCOUNT)).isEmpty();
        assertThat(policy("false", "").checkAddresses(url, true, ACCOUNT)).isPresent();
        assertThat(policy("true", "").checkAddresses(url, false, ACCOUNT)).isPresent();
        assertThat(policy("true", "").checkAddresses(url.replace("http:", "https:"), false, ACCOUNT))
                .as("a live account's is never allowed, so the setting is not named")
                .contains("url must not point to a loopback address");
    }

    /** A lookup that hangs (a name server that never answers) is refused in time, and holds no caller. */
    @Test
    void aHostWhoseLookupHangsIsRefusedInTime() {
        CountDownLatch never = new CountDownLatch(1);
        WebhookUrlPolicy policy = new WebhookUrlPolicy("", "", Duration.ofMillis(200), host -> {
            try {
                never.await();
            } catch (InterruptedException cancelled) {
                Thread.currentThread().interrupt();
            }
            return new InetAddress[0];
        });
        try {
            assertThat(policy.checkAddresses("https://hangs.example/hooks", false, ACCOUNT))
                    .contains("url host did not resolve in time");
        } finally {
            policy.stop();
        }
    }

    /** However many hang, at most eight lookups wait at once; one more is answered 503 at once (not the URL's fault). */
    @Test
    void lookupsInFlightAreBounded() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        WebhookUrlPolicy policy = new WebhookUrlPolicy("", "", Duration.ofMillis(100), host -> {
            started.incrementAndGet();
            return hangUntil(release);
        });
        try {
            for (int i = 0; i < 8; i++) {
                assertThat(policy.checkAddresses("https://hangs" + i + ".example/", false, "account-" + i % 2))
                        .contains("url host did not resolve in time");
            }
            assertThatThrownBy(() -> policy.checkAddresses("https://one-more.example/", false, "account-2"))
                    .isInstanceOfSatisfying(ApiException.class, refused ->
                            assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
            assertThat(started).hasValue(8);
        } finally {
            release.countDown();
            policy.stop();
        }
    }

    /**
     * One account's hanging lookups take at most half of them: its next one is 503, another account's still resolves,
     * and once its lookups end (not when their callers stopped waiting) the account may look up again.
     */
    @Test
    void oneAccountsLookupsLeaveTheOthersTheirShare() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WebhookUrlPolicy policy = new WebhookUrlPolicy("", "", Duration.ofMillis(100), host -> {
            return host.startsWith("hangs") ? hangUntil(release)
                    : new InetAddress[] {InetAddress.getByName("93.184.216.34")};
        });
        try {
            for (int i = 0; i < WebhookUrlPolicy.MAX_LOOKUPS_PER_ACCOUNT; i++) {
                assertThat(policy.checkAddresses("https://hangs" + i + ".example/", false, "greedy"))
                        .contains("url host did not resolve in time");
            }
            assertThatThrownBy(() -> policy.checkAddresses("https://hangs-more.example/", false, "greedy"))
                    .isInstanceOfSatisfying(ApiException.class, refused ->
                            assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
            assertThat(policy.checkAddresses("https://fine.example/", false, "other")).isEmpty();
            // An address is no lookup: it waits for no turn.
            assertThat(policy.checkAddresses("https://93.184.216.34/hooks", false, "greedy")).isEmpty();
            assertThat(policy.checkAddresses("https://[2606:2800:220:1:248:1893:25c8:1946]/", false, "greedy"))
                    .isEmpty();

            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Optional<String> again = null;
            while (again == null && System.nanoTime() < deadline) {
                try {
                    again = policy.checkAddresses("https://fine.example/", false, "greedy");
                } catch (ApiException stillBusy) {
                    Thread.sleep(20);
                }
            }
            assertThat(again).as("the account's lookups ended").isEmpty();
        } finally {
            release.countDown();
            policy.stop();
        }
    }

    /** Lookups that are only many at once (an account registering its endpoints in parallel) take turns, none 503. */
    @Test
    void manyQuickLookupsAtOnceTakeTurns() throws Exception {
        WebhookUrlPolicy policy = new WebhookUrlPolicy("", "", Duration.ofSeconds(2), host -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new InetAddress[] {InetAddress.getByName("93.184.216.34")};
        });
        ExecutorService callers = Executors.newFixedThreadPool(24);
        try {
            List<Future<Optional<String>>> checks = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String url = "https://host" + i + ".example/";
                checks.add(callers.submit(() -> policy.checkAddresses(url, false, ACCOUNT)));
            }
            for (Future<Optional<String>> check : checks) {
                assertThat(check.get()).isEmpty();
            }
        } finally {
            callers.shutdownNow();
            policy.stop();
        }
    }

    /** A lookup that hangs until released, deaf to the interrupt of its cancel as the system resolver is. */
    private static InetAddress[] hangUntil(CountDownLatch release) throws UnknownHostException {
        boolean released = false;
        while (!released) {
            try {
                released = release.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException ignored) {
                // waits on
            }
        }
        return new InetAddress[] {InetAddress.getByName("93.184.216.34")};
    }

    @Test
    void aHostThatDoesNotResolveIsSaidSo() {
        WebhookUrlPolicy policy = new WebhookUrlPolicy("", "", Duration.ofSeconds(2), host -> {
            throw new UnknownHostException(host);
        });
        try {
            assertThat(policy.checkAddresses("https://nowhere.example/", false, ACCOUNT)).contains("url host does not resolve");
        } finally {
            policy.stop();
        }
    }

    @Test
    void aTestLoopbackSettingOtherThanTrueOrFalseIsRefusedAtStart() {
        assertThatThrownBy(() -> policy("yes", "")).hasMessageContaining("APP_WEBHOOKS_TEST_LOOPBACK");
    }

    private static WebhookUrlPolicy policy(String testLoopback, String datasourceUrl) {
        return new WebhookUrlPolicy(testLoopback, datasourceUrl, Duration.ofSeconds(2), InetAddress::getAllByName);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "192.168.1.1", "169.254.169.254", "fd00::1", "0.0.0.0"})
    void testAccountsMayNotUsePrivateAddresses(String address) throws Exception {
        assertThat(WebhookUrlPolicy.allowed(InetAddress.getByName(address), true)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://93.184.216.34/", "ftp://93.184.216.34/", "https://u:p@93.184.216.34/",
            "https:///path", "https://93.184.216.34/#frag", "::"})
    void liveUrlsMustBeHttpsWithAHostOnly(String url) {
        assertThat(WebhookUrlPolicy.checkForm(url, false)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:0/", "http://localhost:65536/", "http://localhost:99999/x"})
    void aPortMustBeOneThatCanBeConnectedTo(String url) {
        assertThat(WebhookUrlPolicy.checkForm(url, true)).contains("url has no valid port (1 to 65535)");
        assertThat(WebhookUrlPolicy.checkForm("http://localhost:65535/", true)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.216.34/hooks", "https://[2606:4700::1111]:8443/x?y=1"})
    void publicHttpsUrlsPass(String url) {
        assertThat(policy("", "").checkAddresses(url, false, ACCOUNT)).isEmpty();
    }

    /** A sender connects to what the check resolved, so the check answers those addresses, every one allowed. */
    @Test
    void theCheckAnswersTheAddressesItAllowed() throws Exception {
        InetAddress first = InetAddress.getByName("93.184.216.34");
        InetAddress second = InetAddress.getByName("2606:4700::1111");
        InetAddress inside = InetAddress.getByName("10.0.0.1");
        WebhookUrlPolicy policy = new WebhookUrlPolicy("", "", Duration.ofSeconds(1), host -> switch (host) {
            case "public.example" -> new InetAddress[] {first, second};
            case "also-inside.example" -> new InetAddress[] {first, inside};
            default -> new InetAddress[0];
        });

        WebhookUrlPolicy.Resolved allowed = policy.resolve("https://public.example/hooks", false, ACCOUNT);
        assertThat(allowed.refusal()).isEmpty();
        assertThat(allowed.addresses()).containsExactly(first, second);
        WebhookUrlPolicy.Resolved refused = policy.resolve("https://also-inside.example/", false, ACCOUNT);
        assertThat(refused.refusal()).contains("url must not point to a private, link-local or otherwise non-public "
                + "address");
        assertThat(refused.addresses()).isEmpty();
        assertThat(policy.resolve("https://nothing.example/", false, ACCOUNT).refusal())
                .contains("url host does not resolve");
    }
}
