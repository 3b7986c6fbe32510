package com.bankaccounts.app;

import static com.bankaccounts.app.LiveProvider.accessToken;
import static com.bankaccounts.app.LiveProvider.accountsAnswer;
import static com.bankaccounts.app.LiveProvider.grant;
import static com.bankaccounts.app.LiveProvider.json;
import static com.bankaccounts.app.LiveProvider.newCode;
import static com.bankaccounts.app.LiveProvider.refreshToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.command.connectionintent.AbandonedGrants;
import com.bankaccounts.platform.crypto.ConsentTokens;
import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Revoking a live consent: the revocation commits at once, and the provider's RFC 7009 endpoint is called after it,
 * by a durable task that retries when the provider fails; its failure never undoes the revocation.
 */
class LiveConsentRevocationApiTest extends LiveProviderApiTestSupport {

    @Autowired
    private ConsentTokens tokens;

    @Autowired
    private ConfigurableApplicationContext context;

    @Autowired
    private AbandonedGrants abandonedGrants;

    /**
     * A redirect is no revocation either, and what a failing provider answers (here: the token, echoed) stays out of
     * the log.
     */
    @Test
    void theProviderIsAskedToRevokeTheTokenAfterTheRevocationAndAgainWhenItFailed() {
        JsonLogCapture log = JsonLogCapture.start();
        TestAccount account = newAccount(false);
        String code = newCode("revoke");
        String approvalId = grantedConsent(account, code);
        assertThat(api.get("/api/bank-account-approvals/" + approvalId, account.key()).text("refreshToken"))
                .isEqualTo(refreshToken(code));
        PROVIDER.revocation(refreshToken(code),
                new MockResponse().setResponseCode(307).setHeader("Location", "/revoke-elsewhere"),
                json(503, "{\"error\":\"temporarily_unavailable\",\"echo\":\"token=" + refreshToken(code) + "\"}"));
        List<String> ciphertexts = ConsentShredding.ciphertextsInEvents(jdbc, approvalId);

        Response revoked = api.post("/api/bank-account-approvals/" + approvalId + "/revoke", account.key(),
                ApiClient.map("reason", "switched banks"));

        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.text("status")).isEqualTo("revoked");
        assertThat(revoked.json().has("refreshToken")).isFalse();
        ConsentShredding.assertUnreadable(jdbc, tokens, ciphertexts.get(0));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(PROVIDER.revocationRequests(refreshToken(code))).hasSize(3));
        for (LiveProvider.TokenRequest request : PROVIDER.revocationRequests(refreshToken(code))) {
            assertThat(request.form()).containsEntry("token", refreshToken(code))
                    .containsEntry("token_type_hint", "refresh_token");
            assertThat(request.request().getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString((LiveProvider.CLIENT_ID + ":" + LiveProvider.CLIENT_SECRET).getBytes()));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.sql(
                        "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'provider-token-revocation'"
                                + " AND task_instance = ?").param(approvalId).query(Long.class).single())
                .as("the revoked token is no longer kept once the provider revoked it").isZero());
        JsonNode after = api.get("/api/bank-account-approvals/" + approvalId, account.key()).json();
        assertThat(after.get("status").asString()).as("the provider's failure did not undo it").isEqualTo("revoked");
        log.close();
        assertThat(log.lines()).as("the failures were logged").anyMatch(line -> line.contains("answered 503"))
                .noneMatch(line -> line.contains(refreshToken(code)));
    }

    /**
     * The consents of one grant share its token, and the provider would revoke it for all of them: it is asked only
     * once the last of them still approved has ended. Two ending at once still ask it exactly once.
     */
    @Test
    void aGrantsTokenIsRevokedAtTheProviderOnlyWithItsLastConsent() throws Exception {
        TestAccount account = newAccount(false);
        List<String> approvalIds = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        for (int grant = 0; grant < 3; grant++) {
            Intent intent = liveIntent(account);
            String code = newCode("siblings");
            String everyday = liveNumber();
            String savings = liveNumber();
            PROVIDER.token(code, grant(code));
            PROVIDER.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", everyday, "name", "Everyday"),
                    Map.of("accountNumber", savings, "name", "Savings")));
            assertEmptyObject(authorize(account, intent.id(), code, intent.state()));
            for (String number : List.of(everyday, savings)) {
                String bankAccountId = bankAccountsByNumber(account).get(number).get("id").asString();
                approvalIds.add(approvalsOf(bankAccountId, account).get(0).get("id").asString());
            }
            codes.add(code);
        }

        // The first grant: one consent, then the other.
        assertThat(revoke(account, approvalIds.get(0)).status()).isEqualTo(200);
        JsonNode sibling = api.get("/api/bank-account-approvals/" + approvalIds.get(1), account.key()).json();
        assertThat(sibling.get("status").asString()).isEqualTo("approved");
        assertThat(sibling.get("refreshToken").asString()).isEqualTo(refreshToken(codes.get(0)));
        assertThat(revocationTasks(approvalIds.get(0))).as("its sibling still uses the token").isZero();
        assertThat(PROVIDER.revocationRequests(refreshToken(codes.get(0)))).isEmpty();
        assertThat(revoke(account, approvalIds.get(1)).status()).isEqualTo(200);
        awaitRevokedOnce(codes.get(0));

        // The second grant: both at once.
        List<Response> both = inParallel(List.of(() -> revoke(account, approvalIds.get(2)),
                () -> revoke(account, approvalIds.get(3))));
        assertThat(both).extracting(Response::status).containsOnly(200);
        awaitRevokedOnce(codes.get(1));
        Thread.sleep(2_000);
        assertThat(PROVIDER.revocationRequests(refreshToken(codes.get(0)))).hasSize(1);
        assertThat(PROVIDER.revocationRequests(refreshToken(codes.get(1)))).hasSize(1);

        // The third grant: one revoked, then the other completed by the admin, which ends it as well.
        List<String> ciphertexts = ConsentShredding.ciphertextsInEvents(jdbc, approvalIds.get(5));
        assertThat(revoke(account, approvalIds.get(4)).status()).isEqualTo(200);
        assertThat(revocationTasks(approvalIds.get(4))).as("its sibling still uses the token").isZero();
        assertThat(api.post("/api/bank-account-approvals/" + approvalIds.get(5) + "/complete", ADMIN_KEY,
                ApiClient.map()).status()).isEqualTo(200);
        awaitRevokedOnce(codes.get(2));
        JsonNode completed = api.get("/api/bank-account-approvals/" + approvalIds.get(5), account.key()).json();
        assertThat(completed.get("status").asString()).isEqualTo("done");
        assertThat(completed.has("refreshToken")).as(completed.toString()).isFalse();
        ConsentShredding.assertUnreadable(jdbc, tokens, ciphertexts.get(0));
    }

    /**
     * A consent completed while completing did not end it kept its token and held its grant's revocation back for
     * ever: such consents end at the next start (here: the registry as that version left it, and the start's event).
     */
    @Test
    void consentsCompletedBeforeCompletingEndedThemEndAtTheNextStart() {
        TestAccount account = newAccount(false);
        String code = newCode("completed-before");
        String approvalId = grantedConsent(account, code);
        List<String> ciphertexts = ConsentShredding.ciphertextsInEvents(jdbc, approvalId);
        jdbc.sql("UPDATE approval_registry SET status = 'done' WHERE approval_id = ?").param(approvalId).update();

        context.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0], context,
                Duration.ZERO));

        assertThat(jdbc.sql("SELECT encrypted_refresh_token FROM approval_registry WHERE approval_id = ?")
                .param(approvalId).query(String.class).optional()).isEmpty();
        ConsentShredding.assertUnreadable(jdbc, tokens, ciphertexts.get(0));
        awaitRevokedOnce(code);
    }

    /** A grant that shares no account links nothing whose end would revoke it: it is revoked at once. */
    @Test
    void aGrantSharingNoAccountIsRevokedAtTheProvider() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("no-accounts");
        PROVIDER.token(code, grant(code));
        PROVIDER.accounts(accessToken(code), accountsAnswer());

        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));

        assertThat(bankAccountsByNumber(account)).isEmpty();
        awaitRevokedOnce(code);
    }

    /**
     * A grant kept for a retry (its accounts could not be read) that is never applied: revoked at the provider when
     * its intent fails by another code, or when it outlives its lifetime, which fails its intent.
     */
    @Test
    void aKeptGrantNeverAppliedIsRevokedAtTheProvider() {
        TestAccount account = newAccount(false);
        Intent failing = liveIntent(account);
        String kept = newCode("kept");
        String refused = newCode("refused");
        keepGrant(account, failing, kept);
        PROVIDER.token(refused, json(400, "{\"error\":\"invalid_grant\"}"));

        assertRefused(authorize(account, failing.id(), refused, failing.state()), 403, "AUTHORIZATION_CODE_INVALID");

        awaitRevokedOnce(kept);
        assertThat(keptGrantOf(failing.id())).isNull();

        Intent outliving = liveIntent(account);
        String old = newCode("outlived");
        keepGrant(account, outliving, old);
        abandonedGrants.failIntentsWithAbandonedGrants();
        assertThat(statusOf(outliving.id(), account)).as("not an hour old yet").isEqualTo("created");
        jdbc.sql("UPDATE connection_intent_registry SET grant_kept_at = grant_kept_at - INTERVAL '2 hours'"
                + " WHERE connection_intent_id = ?").param(outliving.id()).update();

        abandonedGrants.failIntentsWithAbandonedGrants();

        assertThat(statusOf(outliving.id(), account)).isEqualTo("failed");
        awaitRevokedOnce(old);
        assertThat(keptGrantOf(outliving.id())).isNull();
        assertRefused(authorize(account, outliving.id(), old, outliving.state()), 403, "CONNECTION_INTENT_FAILED");
    }

    /**
     * An intent declined while its code was being exchanged: nothing will apply the grant that exchange brings back,
     * so it is not kept but revoked at the provider, and the authorization answers that the intent was declined.
     */
    @Test
    void aGrantExchangedWhileItsIntentWasDeclinedIsRevokedAtTheProvider() throws Exception {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String code = newCode("declined-meanwhile");
        PROVIDER.token(code, grant(code));
        // Answered, should the decline outlast the hold (800 ms) and the exchange end first: the decline still wins.
        PROVIDER.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", liveNumber(), "name", "Everyday")));
        CountDownLatch declined = new CountDownLatch(1);
        PROVIDER.holdToken(code, declined);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Response> authorizing = pool.submit(() -> authorize(account, intent.id(), code, intent.state()));
            await().atMost(Duration.ofSeconds(10)).until(() -> !PROVIDER.tokenRequests(code).isEmpty());
            assertEmptyObject(authorize(intent.id(), account.key(), ApiClient.map("error", "access_denied")));
            declined.countDown();

            assertRefused(authorizing.get(), 403, "CONNECTION_INTENT_DECLINED");
        } finally {
            pool.shutdownNow();
        }
        assertThat(statusOf(intent.id(), account)).isEqualTo("declined");
        assertThat(keptGrantOf(intent.id())).isNull();
        awaitRevokedOnce(code);
    }

    /**
     * A grant kept from a first code (its accounts could not be read), then replaced by a second code's grant that is
     * applied: the first is revoked at the provider, the second is not.
     */
    @Test
    void aKeptGrantReplacedByAnotherCodesIsRevokedAtTheProvider() {
        TestAccount account = newAccount(false);
        Intent intent = liveIntent(account);
        String first = newCode("replaced");
        String second = newCode("replacing");
        keepGrant(account, intent, first);
        PROVIDER.token(second, grant(second));
        PROVIDER.accounts(accessToken(second), accountsAnswer(Map.of("accountNumber", liveNumber(),
                "name", "Everyday")));

        assertEmptyObject(authorize(account, intent.id(), second, intent.state()));

        awaitRevokedOnce(first);
        assertThat(PROVIDER.revocationRequests(refreshToken(second))).isEmpty();
        assertThat(statusOf(intent.id(), account)).isEqualTo("authorized");
        assertThat(keptGrantOf(intent.id())).isNull();
    }

    /** Waits until the provider was asked once to revoke the refresh token {@code code}'s exchange gave. */
    private static void awaitRevokedOnce(String code) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(PROVIDER.revocationRequests(refreshToken(code))).hasSize(1));
    }

    /** A live grant of one bank account, authorized with {@code code}: its account-consent approval's id. */
    private String grantedConsent(TestAccount account, String code) {
        Intent intent = liveIntent(account);
        String number = liveNumber();
        PROVIDER.token(code, grant(code));
        PROVIDER.accounts(accessToken(code), accountsAnswer(Map.of("accountNumber", number, "name", "Everyday")));
        assertEmptyObject(authorize(account, intent.id(), code, intent.state()));
        String bankAccountId = bankAccountsByNumber(account).get(number).get("id").asString();
        return approvalsOf(bankAccountId, account).get(0).get("id").asString();
    }

    private Response revoke(TestAccount account, String approvalId) {
        return api.post("/api/bank-account-approvals/" + approvalId + "/revoke", account.key(), ApiClient.map());
    }

    private long revocationTasks(String approvalId) {
        return jdbc.sql("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'provider-token-revocation'"
                + " AND task_instance = ?").param(approvalId).query(Long.class).single();
    }
}
