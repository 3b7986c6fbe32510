package com.bankaccounts.app;

import static com.bankaccounts.app.LiveProvider.accessToken;
import static com.bankaccounts.app.LiveProvider.grant;
import static com.bankaccounts.app.LiveProvider.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Timeout;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the live connection-intent HTTP tests share: the scripted provider the application is pointed at, a live
 * intent and its authorization, and what an account holds.
 * <p>
 * One provider serves the whole run, and so the live test classes share one application context: it scripts and
 * records per authorization code and per access token, so no test sees another's requests or answers. It is not
 * stopped after a class, since the cached context still points at it; it ends with the JVM.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class LiveProviderApiTestSupport extends ConnectionIntentApiTestSupport {

    static final LiveProvider PROVIDER = LiveProvider.start();

    /** Bank 31, branch 2838: algorithm X, so every base is valid; only the live tests use the branch. */
    private static final AtomicInteger LIVE_NUMBERS = new AtomicInteger((int) (System.nanoTime() % 5_000_000));

    @DynamicPropertySource
    static void liveProvider(DynamicPropertyRegistry registry) {
        PROVIDER.configure(registry);
    }

    record Intent(String id, String state, String codeChallenge) {
    }

    /** What an account holds, and the whole event store's size: a failed call must change none of it. */
    record Footprint(long events, long registeredBankAccounts, long viewedBankAccounts,
                     long registeredApprovals, long viewedApprovals) {

        long bankAccountsAndApprovals() {
            return registeredBankAccounts + viewedBankAccounts + registeredApprovals + viewedApprovals;
        }
    }

    protected Footprint footprint(TestAccount account) {
        return new Footprint(eventCount(),
                countFor("bank_account_registry", account),
                countFor("bank_account_view", account),
                countFor("approval_registry", account),
                countFor("approval_view", account));
    }

    private long countFor(String table, TestAccount account) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE account_id = ?")
                .param(account.id()).query(Long.class).single();
    }

    /** A valid live number nobody else in this run uses. */
    protected static String liveNumber() {
        return String.format("31-2838-%07d-000", LIVE_NUMBERS.incrementAndGet() % 10_000_000);
    }

    /** A live account-information-consent intent of the account, with the state and challenge of its URL. */
    protected Intent liveIntent(TestAccount account) {
        Response created = created(account, ApiClient.map("accountId", account.id(),
                "type", "account-information-consent"));
        Map<String, String> query = query(created.text("authorizationUrl"));
        return new Intent(created.text("id"), query.get("state"), query.get("code_challenge"));
    }

    protected Response authorize(TestAccount account, String intentId, String code, String state) {
        return authorize(intentId, account.key(), ApiClient.map("code", code, "state", state));
    }

    /** Authorizes with {@code code} while the provider's accounts fail: the exchange's grant is kept for a retry. */
    protected void keepGrant(TestAccount account, Intent intent, String code) {
        PROVIDER.token(code, grant(code));
        PROVIDER.accounts(accessToken(code), new MockResponse().setResponseCode(500));
        assertRefused(authorize(account, intent.id(), code, intent.state()), 502, "PROVIDER_ERROR");
    }

    protected String keptGrantOf(String connectionIntentId) {
        return jdbc.sql("SELECT kept_grant FROM connection_intent_registry WHERE connection_intent_id = ?")
                .param(connectionIntentId).query(String.class).optional().orElse(null);
    }
}
