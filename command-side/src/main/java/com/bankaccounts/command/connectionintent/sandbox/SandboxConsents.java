package com.bankaccounts.command.connectionintent.sandbox;

import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.AuthorizationRequest;
import com.bankaccounts.platform.persistence.DbTime;
import com.bankaccounts.platform.security.Secrets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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

    /**
     * {@code businessName} and {@code paymentTerms} are null for a consent opened before they were recorded.
     * {@code decided}: a code was issued (approved); {@code declined}: the user refused; {@code intentFailed}: the
     * intent failed (its client presented a code the bank refused), so nothing is left to decide.
     */
    record Consent(String state, String connectionIntentId, String redirectUri, String businessName,
                   boolean paymentConsent, PaymentConsentTerms paymentTerms, Instant openedAt, boolean decided,
                   boolean declined, boolean intentFailed) {

        Consent(String state, String connectionIntentId, String redirectUri) {
            this(state, connectionIntentId, redirectUri, null, false, null, null, false, false, false);
        }

        /** A link opened before its opening time was recorded never expires. */
        boolean expired(Instant now, Duration validity) {
            return openedAt != null && openedAt.plus(validity).isBefore(now);
        }
    }

    void open(AuthorizationRequest request) {
        PaymentConsentTerms terms = request.paymentTerms();
        jdbc.sql("""
                        INSERT INTO sandbox_consents (state, connection_intent_id, redirect_uri, code_used, business_name,
                            payment_consent, payee_name, payment_period, payment_total_amount, opened_at,
                            payment_expires_at)
                        VALUES (?, ?, ?, FALSE, ?, ?, ?, ?, ?, ?, ?)""")
                .params(request.state(), request.connectionIntentId(), request.redirectUri(), request.businessName(),
                        request.paymentConsent(), PaymentConsentTerms.nameOf(terms),
                        PaymentConsentTerms.periodOf(terms), terms == null ? null : terms.totalAmount(),
                        DbTime.of(Instant.now()), terms == null ? null : DbTime.of(terms.expiresAt()))
                .update();
    }

    Optional<Consent> findByState(String state) {
        return jdbc.sql("""
                        SELECT s.state, s.connection_intent_id, s.redirect_uri, s.business_name, s.payment_consent,
                               s.payee_name, s.payment_period, s.payment_total_amount, s.opened_at,
                               s.code_hash IS NOT NULL AS decided, s.declined, s.payment_expires_at,
                               COALESCE(r.status = ?, FALSE) AS intent_failed
                        FROM sandbox_consents s
                        LEFT JOIN connection_intent_registry r ON r.connection_intent_id = s.connection_intent_id
                        WHERE s.state = ?""")
                .params(ConnectionIntentResponse.STATUS_FAILED, state)
                .query((rs, row) -> consent(rs))
                .optional();
    }

    private static Consent consent(ResultSet rs) throws SQLException {
        boolean payment = rs.getBoolean("payment_consent");
        long total = rs.getLong("payment_total_amount");
        Long totalAmount = rs.wasNull() ? null : total;
        PaymentConsentTerms terms = payment ? new PaymentConsentTerms(rs.getString("payee_name"),
                ConsentPeriod.fromValue(rs.getString("payment_period")).orElse(null), totalAmount,
                DbTime.read(rs, "payment_expires_at")) : null;
        Timestamp openedAt = rs.getTimestamp("opened_at");
        return new Consent(rs.getString("state"), rs.getString("connection_intent_id"), rs.getString("redirect_uri"),
                rs.getString("business_name"), payment, terms, openedAt == null ? null : openedAt.toInstant(),
                rs.getBoolean("decided"), rs.getBoolean("declined"), rs.getBoolean("intent_failed"));
    }

    /** Issues the consent's code, once, and never for a declined one. */
    boolean issueCode(String state, String code) {
        return jdbc.sql("""
                        UPDATE sandbox_consents SET code_hash = ?, code_issued_at = ?
                        WHERE state = ? AND code_hash IS NULL AND NOT declined""")
                .params(Secrets.hash(code), DbTime.of(Instant.now()), state)
                .update() == 1;
    }

    /**
     * Deny on the page: closes the link unless a code was issued or it was declined already, in one statement, so that
     * of an Approve and a Deny sent at once exactly one wins ({@link #issueCode} is the other side).
     */
    boolean claimDecline(String state) {
        return jdbc.sql("""
                        UPDATE sandbox_consents SET declined = TRUE
                        WHERE state = ? AND code_hash IS NULL AND NOT declined""")
                .param(state)
                .update() == 1;
    }

    /**
     * Opens the link again when the decline it was closed for could not be recorded; never once the intent is declined
     * (a failure reported after the decline was stored, which closed the link itself).
     */
    void releaseDecline(String state) {
        jdbc.sql("""
                        UPDATE sandbox_consents s SET declined = FALSE
                        WHERE s.state = ? AND NOT EXISTS (
                            SELECT 1 FROM connection_intent_registry r
                            WHERE r.connection_intent_id = s.connection_intent_id AND r.status = ?)""")
                .params(state, ConnectionIntentResponse.STATUS_DECLINED)
                .update();
    }

    /** Whether this code is the one issued for the consent of {@code state}. */
    boolean issued(String state, String code) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM sandbox_consents WHERE state = ? AND code_hash = ?)")
                .params(state, Secrets.hash(code))
                .query(Boolean.class).single();
    }

    /** The intent was declined: its link shows so from now on. */
    void markDeclined(String connectionIntentId) {
        jdbc.sql("UPDATE sandbox_consents SET declined = TRUE WHERE connection_intent_id = ?")
                .param(connectionIntentId)
                .update();
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
