package com.bankaccounts.command.connectionintent.provider;

import com.bankaccounts.platform.crypto.ConsentTokens;
import com.bankaccounts.platform.crypto.TokenCipher;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The provider's revocation of ended consents' refresh tokens, as durable tasks (db-scheduler): scheduled in the
 * transaction that ends the consent, so run only once it has committed, on one node, and retried with a growing
 * delay when the provider fails; a failure never undoes the ending. Until the provider has revoked it, the task holds
 * the token encrypted under the server key; the task's row is deleted once it succeeded.
 */
@Component
public class TokenRevocations {

    public static final String TASK_NAME = "provider-token-revocation";
    private static final int MAX_ATTEMPTS = 20;

    private final SchedulerClient scheduler;
    private final ObjectProvider<OneTimeTask<String>> task;
    private final TokenCipher cipher;
    private final ProviderTokenRevoker revoker;
    private final ConsentTokens tokens;

    public TokenRevocations(SchedulerClient scheduler, ObjectProvider<OneTimeTask<String>> tokenRevocationTask,
                            TokenCipher cipher, ProviderTokenRevoker revoker, ConsentTokens tokens) {
        this.scheduler = scheduler;
        this.task = tokenRevocationTask;
        this.cipher = cipher;
        this.revoker = revoker;
        this.tokens = tokens;
    }

    /** The task: its data is the refresh token encrypted under the server key. */
    public static OneTimeTask<String> task(ProviderTokenRevoker revoker, TokenCipher cipher, Duration firstRetry) {
        return Tasks.oneTime(TASK_NAME, String.class)
                // Its count is of retries, after the first attempt.
                .onFailure(new FailureHandler.MaxRetriesFailureHandler<>(MAX_ATTEMPTS - 1,
                        new FailureHandler.ExponentialBackoffFailureHandler<>(firstRetry, 2.0)))
                .execute((instance, context) -> revoker.revoke(cipher.decrypt(instance.getData())));
    }

    /**
     * Ends a refresh token kept under a data key of its own ({@link ConsentTokens}), in the caller's transaction:
     * revoked at the provider when {@code revoke} (a live grant no consent uses any more), then shredded. Nothing for
     * no token.
     *
     * @param taskId names the revocation task, once per consent or intent
     */
    public void end(String taskId, String encryptedRefreshToken, boolean revoke) {
        if (encryptedRefreshToken == null) {
            return;
        }
        if (revoke) {
            tokens.decrypt(encryptedRefreshToken).ifPresent(refreshToken -> schedule(taskId, refreshToken));
        }
        tokens.shred(encryptedRefreshToken);
    }

    /** In the caller's transaction; nothing when no revocation endpoint is configured. */
    private void schedule(String approvalId, String refreshToken) {
        OneTimeTask<String> revocation = task.getIfAvailable();
        if (revocation != null && revoker.configured()) {
            scheduler.scheduleIfNotExists(revocation.instance(approvalId, cipher.encrypt(refreshToken)),
                    Instant.now());
        }
    }
}
