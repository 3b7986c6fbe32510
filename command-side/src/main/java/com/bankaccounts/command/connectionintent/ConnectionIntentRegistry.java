package com.bankaccounts.command.connectionintent;

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

    /** The owning account of an intent made on the given face. */
    Optional<String> ownerOf(String connectionIntentId, boolean legacyRequest) {
        return jdbc.sql("SELECT account_id FROM connection_intent_registry WHERE connection_intent_id = ? AND legacy_request = ?")
                .params(connectionIntentId, legacyRequest).query(String.class).optional();
    }
}
