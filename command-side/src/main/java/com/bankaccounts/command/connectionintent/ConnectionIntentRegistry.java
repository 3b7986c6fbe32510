package com.bankaccounts.command.connectionintent;

import java.time.Duration;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Which account owns an intent and on which face it was made (written with the intent's creation); the claim of its
 * one authorization in flight; and the grant a code exchange returned, kept (encrypted) until it is applied. Each
 * statement commits on its own: no transaction stays open while the provider is called.
 */
@Repository
public class ConnectionIntentRegistry {

    private final JdbcClient jdbc;

    public ConnectionIntentRegistry(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String connectionIntentId, String accountId, boolean legacyRequest) {
        jdbc.sql("INSERT INTO connection_intent_registry (connection_intent_id, account_id, legacy_request) VALUES (?, ?, ?)")
                .params(connectionIntentId, accountId, legacyRequest).update();
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
        jdbc.sql("UPDATE connection_intent_registry SET grant_code_hash = ?, kept_grant = ? WHERE connection_intent_id = ?")
                .params(codeHash, encryptedGrant, connectionIntentId).update();
    }

    /** The grant kept from an earlier exchange of the same code, if any (ciphertext). */
    Optional<String> keptGrant(String connectionIntentId, String codeHash) {
        return jdbc.sql("""
                        SELECT kept_grant FROM connection_intent_registry
                        WHERE connection_intent_id = ? AND grant_code_hash = ? AND kept_grant IS NOT NULL""")
                .params(connectionIntentId, codeHash).query(String.class).optional();
    }

    /** Forgets the kept grant: called in the transaction that applies it. */
    void clearGrant(String connectionIntentId) {
        jdbc.sql("UPDATE connection_intent_registry SET grant_code_hash = NULL, kept_grant = NULL WHERE connection_intent_id = ?")
                .param(connectionIntentId).update();
    }

    /** The owning account of an intent made on the given face. */
    Optional<String> ownerOf(String connectionIntentId, boolean legacyRequest) {
        return jdbc.sql("SELECT account_id FROM connection_intent_registry WHERE connection_intent_id = ? AND legacy_request = ?")
                .params(connectionIntentId, legacyRequest).query(String.class).optional();
    }
}
