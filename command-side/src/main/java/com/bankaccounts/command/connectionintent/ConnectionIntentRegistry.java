package com.bankaccounts.command.connectionintent;

import com.bankaccounts.platform.persistence.DbTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Which account owns an intent, and on which face it was made; written with the intent's creation. */
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
     * Claims the intent's code exchange; false while another is in flight (on any process). Each statement commits
     * on its own: no transaction stays open while the provider is called.
     */
    boolean claimExchange(String connectionIntentId, Duration abandonedAfter) {
        Instant now = Instant.now();
        return jdbc.sql("""
                        UPDATE connection_intent_registry SET exchange_started_at = ?
                        WHERE connection_intent_id = ? AND (exchange_started_at IS NULL OR exchange_started_at < ?)""")
                .params(DbTime.of(now), connectionIntentId, DbTime.of(now.minus(abandonedAfter)))
                .update() == 1;
    }

    void releaseExchange(String connectionIntentId) {
        jdbc.sql("UPDATE connection_intent_registry SET exchange_started_at = NULL WHERE connection_intent_id = ?")
                .param(connectionIntentId).update();
    }

    /** The owning account of an intent made on the given face. */
    Optional<String> ownerOf(String connectionIntentId, boolean legacyRequest) {
        return jdbc.sql("SELECT account_id FROM connection_intent_registry WHERE connection_intent_id = ? AND legacy_request = ?")
                .params(connectionIntentId, legacyRequest).query(String.class).optional();
    }
}
