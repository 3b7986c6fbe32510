package com.bankaccounts.command.connectionintent.sandbox;

import com.bankaccounts.platform.persistence.DbTime;
import com.bankaccounts.platform.security.Secrets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The sandbox bank's side of each test intent's consent. */
@Repository
class SandboxConsents {

    static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

    private final JdbcClient jdbc;

    SandboxConsents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Consent(String state, String connectionIntentId, String redirectUri) {
    }

    void open(String state, String connectionIntentId, String redirectUri) {
        jdbc.sql("""
                        INSERT INTO sandbox_consents (state, connection_intent_id, redirect_uri, code_used)
                        VALUES (?, ?, ?, FALSE)""")
                .params(state, connectionIntentId, redirectUri)
                .update();
    }

    Optional<Consent> findByState(String state) {
        return jdbc.sql("SELECT state, connection_intent_id, redirect_uri FROM sandbox_consents WHERE state = ?")
                .param(state)
                .query((rs, row) -> new Consent(rs.getString("state"), rs.getString("connection_intent_id"),
                        rs.getString("redirect_uri")))
                .optional();
    }

    /** Issues the consent's code, once. */
    boolean issueCode(String state, String code) {
        return jdbc.sql("""
                        UPDATE sandbox_consents SET code_hash = ?, code_issued_at = ?
                        WHERE state = ? AND code_hash IS NULL""")
                .params(Secrets.hash(code), DbTime.of(Instant.now()), state)
                .update() == 1;
    }

    /** Uses up a fresh code of the intent; false when it is unknown, someone else's, used or expired. */
    boolean redeem(String connectionIntentId, String code) {
        return jdbc.sql("""
                        UPDATE sandbox_consents SET code_used = TRUE
                        WHERE code_hash = ? AND connection_intent_id = ? AND NOT code_used AND code_issued_at > ?""")
                .params(Secrets.hash(code), connectionIntentId, DbTime.of(Instant.now().minus(CODE_LIFETIME)))
                .update() == 1;
    }
}
