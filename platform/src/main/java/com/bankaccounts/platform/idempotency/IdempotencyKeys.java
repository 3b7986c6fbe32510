package com.bankaccounts.platform.idempotency;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.crypto.TokenCipher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The table of idempotency keys and their first answers ({@code idempotency_keys}); times are the database's. Answers
 * are kept encrypted: one can hold a secret that no table may hold in clear (a new API key's, a webhook endpoint's).
 */
@Repository
public class IdempotencyKeys {

    /** The first answer given to a key, and what it was given for. */
    public record StoredAnswer(String fingerprint, int status, String contentType, byte[] body) {
    }

    /**
     * The status of a key claimed by a request run without the key's lock, before it has an answer: 409, which no
     * kept answer has, with the error body an earlier version replays as it is.
     */
    public static final int IN_PROGRESS = 409;
    private static final byte[] IN_PROGRESS_BODY = ("{\"statusCode\":409,\"error\":\"Conflict\",\"message\":\""
            + ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS.name() + "\"}").getBytes(StandardCharsets.UTF_8);

    private static final int PURGE_BATCH = 1000;
    private static final String UPSERT = """
            INSERT INTO idempotency_keys
                (scope, idempotency_key, fingerprint, status, content_type, body, body_encrypted, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, TRUE, now(), now() + ? * INTERVAL '1 millisecond')
            ON CONFLICT (scope, idempotency_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
                status = EXCLUDED.status, content_type = EXCLUDED.content_type, body = EXCLUDED.body,
                body_encrypted = TRUE, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at""";

    private final JdbcClient jdbc;
    private final TokenCipher cipher;

    public IdempotencyKeys(JdbcClient jdbc, TokenCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /**
     * Whether this transaction now holds the key (until it ends), on any node. An advisory lock rather than a row:
     * nothing is left behind by a crash, and a second request is answered at once instead of waiting.
     */
    public boolean tryLock(String scope, String key) {
        return jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))")
                .param("idempotency-key\n" + scope + "\n" + key).query(Boolean.class).single();
    }

    /** The unexpired answer kept for the key. */
    public Optional<StoredAnswer> find(String scope, String key) {
        return jdbc.sql("""
                        SELECT fingerprint, status, content_type, body, body_encrypted FROM idempotency_keys
                        WHERE scope = ? AND idempotency_key = ? AND expires_at > now()""")
                .params(scope, key)
                .query((rs, row) -> new StoredAnswer(rs.getString("fingerprint"), rs.getInt("status"),
                        rs.getString("content_type"),
                        rs.getBoolean("body_encrypted") ? cipher.open(rs.getBytes("body")) : rs.getBytes("body")))
                .optional();
    }

    /**
     * Keeps the answer, replacing an expired one; the caller holds the key's lock and found no unexpired answer.
     * Answers false if a request run without the lock claimed the key meanwhile (the same key sent to an
     * authorization at once): its claim stands, and the caller's work must not.
     */
    public boolean save(String scope, String key, StoredAnswer answer, Duration ttl) {
        return upsert(scope, key, answer, ttl, " WHERE idempotency_keys.expires_at <= now()").update() == 1;
    }

    /**
     * Claims the key for a request run without the key's lock (which a transaction would have to hold through a
     * provider's call): a row {@link #IN_PROGRESS} until {@code hold} ends, unless an unexpired one is there already.
     * Answers the claim's token (its time, the database's) when this request holds the key. A crashed request's claim
     * ends with its hold.
     */
    public Optional<OffsetDateTime> claim(String scope, String key, String fingerprint, Duration hold) {
        StoredAnswer inProgress = new StoredAnswer(fingerprint, IN_PROGRESS, MediaType.APPLICATION_JSON_VALUE,
                IN_PROGRESS_BODY);
        return upsert(scope, key, inProgress, hold, " WHERE idempotency_keys.expires_at <= now() RETURNING created_at")
                .query(OffsetDateTime.class).optional();
    }

    /** Replaces this request's claim with its answer (not a later claim, should this one have outlived its hold). */
    public void answerClaim(String scope, String key, OffsetDateTime claim, StoredAnswer answer, Duration ttl) {
        upsert(scope, key, answer, ttl, " WHERE idempotency_keys.status = ? AND idempotency_keys.created_at = ?")
                .param(IN_PROGRESS).param(claim).update();
    }

    /** Ends this request's claim with no answer kept: the key may be used again at once. */
    public void release(String scope, String key, OffsetDateTime claim) {
        jdbc.sql("""
                        DELETE FROM idempotency_keys
                        WHERE scope = ? AND idempotency_key = ? AND status = ? AND created_at = ?""")
                .params(scope, key, IN_PROGRESS, claim).update();
    }

    /** The answer's row, encrypted, kept for {@code ttl}; replacing the key's row only where {@code condition} holds. */
    private JdbcClient.StatementSpec upsert(String scope, String key, StoredAnswer answer, Duration ttl,
                                            String condition) {
        return jdbc.sql(UPSERT + condition)
                .params(scope, key, answer.fingerprint(), answer.status(), answer.contentType(),
                        cipher.seal(answer.body()), ttl.toMillis());
    }

    /** Deletes expired keys in small batches (short transactions); answers how many. */
    public int purgeExpired() {
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.sql("""
                            DELETE FROM idempotency_keys WHERE ctid IN (
                                SELECT ctid FROM idempotency_keys WHERE expires_at <= now() LIMIT ?)""")
                    .param(PURGE_BATCH).update();
            total += deleted;
        } while (deleted == PURGE_BATCH);
        return total;
    }
}
