package com.bankaccounts.command.connectionintent;

import com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The command side's lookup of intents: which account owns each and on which face it was made, with what a code
 * exchange needs and the status to check before a code is spent (kept in step with the intent's events by
 * {@link ConnectionIntentRegistryUpdater}); the claim of its one authorization in flight; and the grant a code
 * exchange returned, kept (encrypted) until it is applied. The authorizer's statements commit on their own: no
 * transaction stays open while the provider is called.
 */
@Repository
public class ConnectionIntentRegistry {

    private final JdbcClient jdbc;

    public ConnectionIntentRegistry(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What the authorizer needs of an intent, as of its last committed event. */
    record RegisteredIntent(String connectionIntentId, String status, boolean legacyRequest, boolean test,
                            ConnectionIntentType type, String state, String redirectUri,
                            String encryptedCodeVerifier, Instant expiresAt) {

        /** A payment consent whose end has come: no code may authorize it any more. */
        boolean expired(Instant now) {
            return expiresAt != null && !expiresAt.isAfter(now);
        }
    }

    void insert(ConnectionIntentCreatedEvent event) {
        jdbc.sql("""
                        INSERT INTO connection_intent_registry (connection_intent_id, account_id, legacy_request, status,
                            test, type, state, redirect_uri, encrypted_code_verifier, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(event.connectionIntentId(), event.accountId(), event.legacyRequest(),
                        ConnectionIntentResponse.STATUS_CREATED, event.test(), event.type().name(), event.state(),
                        // The one the provider was sent, which the exchange sends again (the client's, in older events).
                        event.providerRedirectUri() != null ? event.providerRedirectUri() : event.redirectUri(),
                        event.encryptedCodeVerifier(),
                        event.paymentTerms() == null || event.paymentTerms().expiresAt() == null ? null
                                : Timestamp.from(event.paymentTerms().expiresAt()))
                .update();
    }

    void moveTo(String connectionIntentId, String status) {
        jdbc.sql("UPDATE connection_intent_registry SET status = ? WHERE connection_intent_id = ?")
                .params(status, connectionIntentId).update();
    }

    Optional<RegisteredIntent> find(String connectionIntentId) {
        return jdbc.sql("""
                        SELECT connection_intent_id, status, legacy_request, test, type, state, redirect_uri,
                               encrypted_code_verifier, expires_at
                        FROM connection_intent_registry WHERE connection_intent_id = ?""")
                .param(connectionIntentId)
                .query((rs, row) -> new RegisteredIntent(rs.getString("connection_intent_id"), rs.getString("status"),
                        rs.getBoolean("legacy_request"), rs.getBoolean("test"),
                        ConnectionIntentType.valueOf(rs.getString("type")), rs.getString("state"),
                        rs.getString("redirect_uri"), rs.getString("encrypted_code_verifier"),
                        rs.getTimestamp("expires_at") == null ? null : rs.getTimestamp("expires_at").toInstant()))
                .optional();
    }

    /**
     * Claims the intent's authorization with the given token; false while another claim younger than
     * {@code abandonedAfter} holds it (on any process). Times are the database's, so clocks of nodes do not matter.
     */
    boolean claim(String connectionIntentId, String token, Duration abandonedAfter) {
        return jdbc.sql("""
                        UPDATE connection_intent_registry SET exchange_claim = ?, exchange_started_at = CURRENT_TIMESTAMP
                        WHERE connection_intent_id = ?
                          AND (exchange_claim IS NULL OR exchange_started_at < CURRENT_TIMESTAMP - INTERVAL '%d' SECOND)"""
                        .formatted(abandonedAfter.toSeconds()))
                .params(token, connectionIntentId)
                .update() == 1;
    }

    /** Releases the claim, if it is still the given one. */
    void release(String connectionIntentId, String token) {
        jdbc.sql("""
                        UPDATE connection_intent_registry SET exchange_claim = NULL, exchange_started_at = NULL
                        WHERE connection_intent_id = ? AND exchange_claim = ?""")
                .params(connectionIntentId, token).update();
    }

    void keepGrant(String connectionIntentId, String codeHash, String encryptedGrant) {
        jdbc.sql("""
                        UPDATE connection_intent_registry SET grant_code_hash = ?, kept_grant = ?,
                            grant_kept_at = CURRENT_TIMESTAMP
                        WHERE connection_intent_id = ?""")
                .params(codeHash, encryptedGrant, connectionIntentId).update();
    }

    /** Replaces the grant kept for that code (renewed), leaving when it was kept: a renewal does not extend it. */
    void replaceGrant(String connectionIntentId, String codeHash, String encryptedGrant) {
        jdbc.sql("""
                        UPDATE connection_intent_registry SET kept_grant = ?
                        WHERE connection_intent_id = ? AND grant_code_hash = ?""")
                .params(encryptedGrant, connectionIntentId, codeHash).update();
    }

    /** An intent's status and the grant kept for it (ciphertext, and the hash of the code it came from; or none). */
    record GrantHolder(String status, String grantCodeHash, String keptGrant) {
    }

    /**
     * The intent's status and kept grant, its row locked until the caller's transaction ends: keeping a grant and
     * ending the intent (which forgets its kept grant) take turns, so that neither misses the other's.
     */
    Optional<GrantHolder> lockGrant(String connectionIntentId) {
        return jdbc.sql("""
                        SELECT status, grant_code_hash, kept_grant FROM connection_intent_registry
                        WHERE connection_intent_id = ? FOR UPDATE""")
                .param(connectionIntentId)
                .query((rs, row) -> new GrantHolder(rs.getString("status"), rs.getString("grant_code_hash"),
                        rs.getString("kept_grant")))
                .optional();
    }

    /** Intents still created whose grant was kept longer ago than {@code lifetime} (the database's time). */
    List<String> grantsKeptLongerThan(Duration lifetime) {
        return jdbc.sql("""
                        SELECT connection_intent_id FROM connection_intent_registry
                        WHERE kept_grant IS NOT NULL AND status = ?
                          AND grant_kept_at < CURRENT_TIMESTAMP - ? * INTERVAL '1 millisecond'""")
                .params(ConnectionIntentResponse.STATUS_CREATED, lifetime.toMillis())
                .query(String.class).list();
    }

    /** The grant kept from an earlier exchange of the same code, if any (ciphertext). */
    Optional<String> keptGrant(String connectionIntentId, String codeHash) {
        return jdbc.sql("""
                        SELECT kept_grant FROM connection_intent_registry
                        WHERE connection_intent_id = ? AND grant_code_hash = ? AND kept_grant IS NOT NULL""")
                .params(connectionIntentId, codeHash).query(String.class).optional();
    }

    /** Forgets the kept grant: called in the transaction that applies it ({@link ConsentGrantedLinker}). */
    void clearGrant(String connectionIntentId) {
        jdbc.sql("""
                        UPDATE connection_intent_registry SET grant_code_hash = NULL, kept_grant = NULL,
                            grant_kept_at = NULL
                        WHERE connection_intent_id = ?""")
                .param(connectionIntentId).update();
    }

    /** The owning account of an intent made on the given face. */
    Optional<String> ownerOf(String connectionIntentId, boolean legacyRequest) {
        return jdbc.sql("SELECT account_id FROM connection_intent_registry WHERE connection_intent_id = ? AND legacy_request = ?")
                .params(connectionIntentId, legacyRequest).query(String.class).optional();
    }
}
