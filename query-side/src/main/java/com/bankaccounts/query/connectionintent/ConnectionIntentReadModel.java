package com.bankaccounts.query.connectionintent;

import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.platform.persistence.DbTime;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * connection_intent_view; writes are idempotent by aggregate version. {@link ConnectionIntentResponse} is built here
 * only, as the face the intent was made on shows it.
 */
@Repository
public class ConnectionIntentReadModel {

    private static final String COLUMNS = """
            id, account_id, type, legacy_request, status, test, bank_account_id, consent_name, consent_period,
            consent_total_amount, redirect_uri, authorization_url, created_at, created_by, updated_at, updated_by,
            consent_expires_at""";
    /** What authorization adds to the created intent's columns. */
    private static final String LINKED = ", bank_account_ids, approval_ids";

    private final JdbcClient jdbc;

    public ConnectionIntentReadModel(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored intent as its face shows it; {@code legacyRequest} marks one made as a bank account request. */
    public record StoredIntent(ConnectionIntentResponse response, boolean legacyRequest) {
    }

    public void insert(ConnectionIntentCreatedEvent event, Instant at, String principal, long version) {
        PaymentConsentTerms terms = event.paymentTerms();
        jdbc.sql("INSERT INTO connection_intent_view (" + COLUMNS + ", version)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(event.connectionIntentId(), event.accountId(), event.requestedType(), event.legacyRequest(),
                        ConnectionIntentResponse.STATUS_CREATED, event.test(), event.bankAccountId(),
                        PaymentConsentTerms.nameOf(terms), PaymentConsentTerms.periodOf(terms),
                        terms == null ? null : terms.totalAmount(), event.redirectUri(), event.authorizationUrl(),
                        DbTime.of(at), principal, DbTime.of(at), principal,
                        terms == null ? null : DbTime.of(terms.expiresAt()), version)
                .update();
    }

    public void moveTo(String id, String status, Instant at, String by, long version) {
        jdbc.sql("""
                        UPDATE connection_intent_view SET status = ?, updated_at = ?, updated_by = ?, version = ?
                        WHERE id = ? AND version < ?""")
                .params(status, DbTime.of(at), by, version, id, version)
                .update();
    }

    /** Authorized: with the bank accounts it linked and their consent approvals. */
    public void authorize(String id, List<String> bankAccountIds, List<String> approvalIds, Instant at, String by,
                          long version) {
        jdbc.sql("""
                        UPDATE connection_intent_view SET status = ?, bank_account_ids = ?, approval_ids = ?,
                            updated_at = ?, updated_by = ?, version = ?
                        WHERE id = ? AND version < ?""")
                .params(ConnectionIntentResponse.STATUS_AUTHORIZED, array(bankAccountIds), array(approvalIds),
                        DbTime.of(at), by, version, id, version)
                .update();
    }

    public Optional<StoredIntent> findById(String id) {
        return jdbc.sql("SELECT " + COLUMNS + LINKED + " FROM connection_intent_view WHERE id = ?")
                .param(id).query(ConnectionIntentReadModel::map).optional();
    }

    public void deleteAll() {
        jdbc.sql("DELETE FROM connection_intent_view").update();
    }

    private static StoredIntent map(ResultSet rs, int row) throws SQLException {
        Long total = rs.getObject("consent_total_amount", Long.class);
        boolean legacyRequest = rs.getBoolean("legacy_request");
        String status = legacyRequest ? ConnectionIntentResponse.onRequestFace(rs.getString("status"))
                : rs.getString("status");
        return new StoredIntent(new ConnectionIntentResponse(rs.getString("id"), rs.getString("account_id"),
                rs.getString("type"), status, Timestamps.format(DbTime.read(rs, "created_at")),
                rs.getString("created_by"), Timestamps.format(DbTime.read(rs, "updated_at")),
                rs.getString("updated_by"), rs.getString("authorization_url"),
                rs.getBoolean("test") ? Boolean.TRUE : null, rs.getString("bank_account_id"),
                rs.getString("consent_name"), rs.getString("consent_period"),
                total == null ? null : total.toString(), rs.getString("redirect_uri"),
                Timestamps.format(DbTime.read(rs, "consent_expires_at")), strings(rs, "bank_account_ids"),
                strings(rs, "approval_ids")),
                legacyRequest);
    }

    private static String[] array(List<String> values) {
        return values == null ? null : values.toArray(String[]::new);
    }

    private static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? null : List.of((String[]) array.getArray());
    }
}
