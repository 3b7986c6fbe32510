package com.bankaccounts.query.webhook;

import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.api.webhook.WebhookEndpointResponse;
import com.bankaccounts.api.webhook.WebhookEventType.Resource;
import com.bankaccounts.platform.persistence.DbTime;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The webhook_endpoint_view table, and each endpoint's earlier secrets still signing
 * (webhook_endpoint_earlier_secret); writes are idempotent by aggregate version.
 */
@Repository
public class WebhookEndpointReadModel {

    /** At most this many earlier secrets sign beside the current one (each rotation within a week adds one). */
    static final int MAX_EARLIER_SECRETS = 10;
    /**
     * An endpoint with its earlier secrets, read in one pass: only those still signing, the newest first, and when the
     * last of them stops.
     */
    private static final String ENDPOINTS = """
            SELECT id, account_id, url, event_types, description, enabled, test, encrypted_secret, created_at,
                created_by, s.earlier_secrets, s.earlier_until
            FROM webhook_endpoint_view e CROSS JOIN LATERAL (
                SELECT coalesce(array_agg(encrypted_secret ORDER BY version DESC), '{}') AS earlier_secrets,
                    max(expires_at) AS earlier_until
                FROM webhook_endpoint_earlier_secret WHERE endpoint_id = e.id AND expires_at > now()) s
            """;

    private final JdbcClient jdbc;

    public WebhookEndpointReadModel(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A row as stored: the answer, and what delivery needs: the secret, and the earlier ones that still sign beside
     * it, the newest first.
     */
    public record StoredEndpoint(WebhookEndpointResponse response, boolean test, String encryptedSecret,
                                 List<String> earlierEncryptedSecrets) {
    }

    void insert(String id, String accountId, String url, List<String> eventTypes, String description, boolean test,
                String encryptedSecret, Instant at, String by, long version) {
        jdbc.sql("""
                        INSERT INTO webhook_endpoint_view (id, account_id, url, event_types, description, enabled, test,
                            encrypted_secret, created_at, created_by, version)
                        VALUES (?, ?, ?, ?, ?, TRUE, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(id, accountId, url, eventTypes == null ? null : String.join(",", eventTypes), description,
                        test, encryptedSecret, DbTime.of(at), by == null ? "" : by, version)
                .update();
    }

    /**
     * The new secret signs; the current one keeps signing until {@code previousExpiresAt}, beside the earlier ones
     * still within their own time (the newest {@link #MAX_EARLIER_SECRETS}). With no time, the current one and every
     * earlier one stop at once (a leaked secret). Reads ({@link #ENDPOINTS}) show an earlier secret only before its time.
     * An event already applied (its version reached) changes nothing.
     */
    void rotateSecret(String id, String encryptedSecret, Instant previousExpiresAt, long version) {
        if (previousExpiresAt == null) {
            jdbc.sql("""
                            DELETE FROM webhook_endpoint_earlier_secret s USING webhook_endpoint_view e
                            WHERE s.endpoint_id = ? AND e.id = s.endpoint_id AND e.version < ?""")
                    .params(id, version).update();
        } else {
            jdbc.sql("""
                            INSERT INTO webhook_endpoint_earlier_secret
                                (endpoint_id, version, encrypted_secret, expires_at)
                            SELECT id, ?, encrypted_secret, ? FROM webhook_endpoint_view WHERE id = ? AND version < ?
                            ON CONFLICT DO NOTHING""")
                    .params(version, DbTime.of(previousExpiresAt), id, version).update();
            // All but the newest few still signing (so those that no longer sign too) are of no more use.
            jdbc.sql("""
                            DELETE FROM webhook_endpoint_earlier_secret s
                            WHERE s.endpoint_id = ? AND s.version NOT IN (SELECT k.version
                                FROM webhook_endpoint_earlier_secret k WHERE k.endpoint_id = ? AND k.expires_at > now()
                                ORDER BY k.version DESC LIMIT ?)""")
                    .params(id, id, MAX_EARLIER_SECRETS).update();
        }
        // V27's columns (the one secret before) as V27 wrote them, for a node still on it, or rolled back to it.
        jdbc.sql("""
                        UPDATE webhook_endpoint_view SET previous_encrypted_secret = encrypted_secret,
                            previous_secret_expires_at = ?, encrypted_secret = ?, version = ?
                        WHERE id = ? AND version < ?""")
                .params(DbTime.of(previousExpiresAt), encryptedSecret, version, id, version).update();
    }

    void markDisabled(String id, long version) {
        jdbc.sql("UPDATE webhook_endpoint_view SET enabled = FALSE, version = ? WHERE id = ? AND version < ?")
                .params(version, id, version).update();
    }

    public Optional<StoredEndpoint> findById(String id) {
        return jdbc.sql(ENDPOINTS + "WHERE id = ?")
                .param(id).query(WebhookEndpointReadModel::map).optional();
    }

    public List<StoredEndpoint> findByAccount(String accountId) {
        return jdbc.sql(ENDPOINTS + "WHERE account_id = ? ORDER BY created_at, id")
                .param(accountId).query(WebhookEndpointReadModel::map).list();
    }

    boolean anyEnabled() {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM webhook_endpoint_view WHERE enabled)").query(Boolean.class)
                .single();
    }

    /** The account a resource belongs to, and that account's enabled endpoints now. */
    record Owner(String accountId, List<String> endpoints) {

        boolean listening() {
            return !endpoints.isEmpty();
        }
    }

    /**
     * The resource's owner, from its read model, in one indexed lookup (an event nobody listens for costs no more):
     * empty when that read model has no such resource. With {@code createdBy}, only endpoints created by then.
     */
    Optional<Owner> ownerOf(Resource resource, String resourceId, Instant createdBy) {
        String view = switch (resource) {
            case BANK_ACCOUNT -> "bank_account_view";
            case FUNDS_TRANSFER -> "funds_transfer_view";
            case APPROVAL -> "approval_view";
            case CONNECTION_INTENT -> "connection_intent_view";
        };
        String sql = "SELECT r.account_id, ARRAY (SELECT e.id FROM webhook_endpoint_view e"
                + " WHERE e.account_id = r.account_id AND e.enabled"
                + (createdBy == null ? "" : " AND e.created_at <= ?")
                + ") AS endpoints FROM " + view + " r WHERE r.id = ?";
        return (createdBy == null ? jdbc.sql(sql).param(resourceId)
                : jdbc.sql(sql).params(DbTime.of(createdBy), resourceId))
                .query((rs, row) -> new Owner(rs.getString("account_id"),
                        List.of((String[]) rs.getArray("endpoints").getArray())))
                .optional();
    }

    /**
     * The ids of the account's enabled endpoints that receive this type (no secrets: nothing is sent here), among
     * {@code recordedFor}, the endpoints enabled when the event was recorded, when it is known (else all of them).
     */
    List<String> enabledReceiving(String accountId, String type, List<String> recordedFor) {
        String receiving = """
                SELECT id FROM webhook_endpoint_view WHERE account_id = ? AND enabled
                    AND (event_types IS NULL OR ? = ANY (string_to_array(event_types, ',')))""";
        if (recordedFor == null) {
            return jdbc.sql(receiving).params(accountId, type).query(String.class).list();
        }
        return jdbc.sql(receiving + " AND id = ANY (?)").params(accountId, type, recordedFor.toArray(String[]::new))
                .query(String.class).list();
    }

    private static StoredEndpoint map(ResultSet rs, int row) throws SQLException {
        String types = rs.getString("event_types");
        WebhookEndpointResponse response = new WebhookEndpointResponse(rs.getString("id"), rs.getString("account_id"),
                rs.getString("url"), types == null ? null : Arrays.asList(types.split(",")),
                rs.getString("description"), rs.getBoolean("enabled"), null,
                Timestamps.format(DbTime.read(rs, "earlier_until")),
                Timestamps.format(DbTime.read(rs, "created_at")), rs.getString("created_by"));
        return new StoredEndpoint(response, rs.getBoolean("test"), rs.getString("encrypted_secret"),
                List.of((String[]) rs.getArray("earlier_secrets").getArray()));
    }
}
