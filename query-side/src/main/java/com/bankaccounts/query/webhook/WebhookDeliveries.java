package com.bankaccounts.query.webhook;

import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.platform.persistence.DbTime;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The webhook_event and webhook_delivery tables. Times are the database's, so nodes' clocks need not agree. */
@Repository
public class WebhookDeliveries {

    static final String PENDING = "pending";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";
    private static final String CLAIM_LOCK = "webhook-delivery-claim";

    private final JdbcClient jdbc;

    public WebhookDeliveries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A delivery as the API shows it. */
    public record DeliveryResponse(String id, String eventId, String type, String status, int attempts,
                                   Integer lastStatusCode, String lastError, String lastAttemptAt,
                                   String nextAttemptAt, String createdAt) {
    }

    /** What sending one delivery needs; {@code retriesRequested}: how many retries had been asked for when claimed. */
    /**
     * A delivery this node holds until {@code leaseEnd}: the end its claim set, which its outcome must still find (past
     * it, another node may have claimed and sent it again, and that node records the outcome).
     */
    record Claimed(String id, String endpointId, String eventId, int roundFailures, int retriesRequested,
                   OffsetDateTime leaseEnd) {
    }

    /** A due delivery, with its endpoint's account (none while the endpoint's row is not in the read model). */
    private record Due(Claimed delivery, String accountId) {
    }

    record RecordedEvent(String eventId, String type, String accountId, String body) {
    }

    /**
     * What fanning a recorded event out needs: not its body, only whether it has one (none: its account had no
     * enabled endpoint when it was recorded).
     */
    record RecordedType(String type, String accountId, boolean hasBody) {
    }

    /** A body of null records that nobody was listening (see WebhookEventRecorder). */
    void recordEvent(String eventId, String type, String accountId, Instant createdAt, String body) {
        jdbc.sql("""
                        INSERT INTO webhook_event (event_id, type, account_id, created_at, body)
                        VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(eventId, type, accountId, DbTime.of(createdAt), body).update();
    }

    /** Of the recorded events among {@code eventIds}, each one's type and account, by event id: one statement. */
    Map<String, RecordedType> findEventTypes(List<String> eventIds) {
        Map<String, RecordedType> found = new HashMap<>();
        jdbc.sql("""
                        SELECT event_id, type, account_id, body IS NOT NULL AS has_body FROM webhook_event
                        WHERE event_id = ANY (?)""")
                .param(eventIds.toArray(String[]::new))
                .query(rs -> {
                    found.put(rs.getString("event_id"), new RecordedType(rs.getString("type"),
                            rs.getString("account_id"), rs.getBoolean("has_body")));
                });
        return found;
    }

    Optional<RecordedEvent> findEvent(String eventId) {
        return jdbc.sql("""
                        SELECT event_id, type, account_id, body FROM webhook_event
                        WHERE event_id = ? AND body IS NOT NULL""")
                .param(eventId)
                .query((rs, row) -> new RecordedEvent(rs.getString("event_id"), rs.getString("type"),
                        rs.getString("account_id"), rs.getString("body")))
                .optional();
    }

    /** A delivery due now, unless the endpoint already has this event (a processor may see an event twice). */
    void addDelivery(String endpointId, String eventId, String type) {
        jdbc.sql("""
                        INSERT INTO webhook_delivery (id, endpoint_id, event_id, type, status, next_attempt_at, created_at)
                        VALUES (?, ?, ?, ?, 'pending', now(), now()) ON CONFLICT (endpoint_id, event_id) DO NOTHING""")
                .params(Ids.newId(), endpointId, eventId, type).update();
    }

    /**
     * Takes due deliveries for this node until the lease ends: of at most {@code endpoints} endpoints, up to
     * {@code perEndpoint} each (oldest first, to be sent one after the other), none of an endpoint that has one in
     * flight anywhere, and of no more than {@code perAccount} endpoints of one account in flight anywhere (so that one
     * account's slow receivers, whose backlog is always the oldest, cannot take every sender). Call inside a (short)
     * transaction: claims take turns across all nodes, as the in-flight checks cannot see another claim's leases before
     * it commits (row locks alone let two claims take one endpoint's rows).
     */
    List<List<Claimed>> claimDue(int endpoints, int perEndpoint, int perAccount, Duration lease) {
        jdbc.sql("SELECT 1 FROM pg_advisory_xact_lock(hashtext(?))").param(CLAIM_LOCK).query(Integer.class).single();
        Map<String, Integer> sending = new HashMap<>();
        // Endpoint by endpoint (those with pending deliveries, found by skipping through an index), each one's oldest
        // due ones: a scan of all due deliveries in age order read the whole backlog of an account at its cap on
        // every claim, under the lock every node's claims wait for.
        List<Due> due = jdbc.sql("""
                        WITH RECURSIVE pending (endpoint_id) AS (
                            (SELECT endpoint_id FROM webhook_delivery WHERE status = 'pending'
                             ORDER BY endpoint_id LIMIT 1)
                            UNION ALL
                            SELECT (SELECT w.endpoint_id FROM webhook_delivery w
                                    WHERE w.status = 'pending' AND w.endpoint_id > p.endpoint_id
                                    ORDER BY w.endpoint_id LIMIT 1)
                            FROM pending p WHERE p.endpoint_id IS NOT NULL),
                        busy AS (
                            SELECT e.account_id, count(DISTINCT x.endpoint_id) AS sending
                            FROM webhook_delivery x JOIN webhook_endpoint_view e ON e.id = x.endpoint_id
                            WHERE x.status = 'pending' AND x.locked_until >= now()
                            GROUP BY e.account_id)
                        SELECT d.id, d.endpoint_id, d.event_id, d.round_failures, d.retries_requested, e.account_id,
                               coalesce(b.sending, 0) AS sending
                        FROM pending p
                        LEFT JOIN webhook_endpoint_view e ON e.id = p.endpoint_id
                        LEFT JOIN busy b ON b.account_id = e.account_id
                        CROSS JOIN LATERAL (
                            SELECT x.id, x.endpoint_id, x.event_id, x.round_failures, x.retries_requested,
                                   x.next_attempt_at, x.seq
                            FROM webhook_delivery x
                            WHERE x.endpoint_id = p.endpoint_id AND x.status = 'pending' AND x.next_attempt_at <= now()
                              AND (x.locked_until IS NULL OR x.locked_until < now())
                            ORDER BY x.next_attempt_at, x.seq LIMIT ? FOR UPDATE SKIP LOCKED) d
                        WHERE p.endpoint_id IS NOT NULL
                          AND coalesce(b.sending, 0) < ?
                          AND NOT EXISTS (SELECT 1 FROM webhook_delivery y WHERE y.endpoint_id = p.endpoint_id
                                          AND y.status = 'pending' AND y.locked_until >= now())
                        ORDER BY d.next_attempt_at, d.seq LIMIT ?""")
                .params(perEndpoint, perAccount, endpoints * perEndpoint * 2)
                .query((rs, row) -> {
                    String account = rs.getString("account_id");
                    if (account != null) {
                        sending.put(account, rs.getInt("sending"));
                    }
                    return new Due(new Claimed(rs.getString("id"), rs.getString("endpoint_id"),
                            rs.getString("event_id"), rs.getInt("round_failures"), rs.getInt("retries_requested"),
                            null), account);
                })
                .list();
        OffsetDateTime leaseEnd = jdbc.sql("SELECT now() + ? * interval '1 millisecond'").param(lease.toMillis())
                .query(OffsetDateTime.class).single();
        Map<String, List<Claimed>> byEndpoint = new LinkedHashMap<>();
        for (Due next : due) {
            Claimed delivery = next.delivery();
            List<Claimed> batch = byEndpoint.get(delivery.endpointId());
            if (batch == null && byEndpoint.size() < endpoints
                    && (next.accountId() == null || sending.get(next.accountId()) < perAccount)) {
                batch = new ArrayList<>();
                byEndpoint.put(delivery.endpointId(), batch);
                if (next.accountId() != null) {
                    sending.merge(next.accountId(), 1, Integer::sum);
                }
            }
            if (batch != null && batch.size() < perEndpoint) {
                batch.add(new Claimed(delivery.id(), delivery.endpointId(), delivery.eventId(),
                        delivery.roundFailures(), delivery.retriesRequested(), leaseEnd));
            }
        }
        List<String> ids = byEndpoint.values().stream().flatMap(List::stream).map(Claimed::id).toList();
        if (!ids.isEmpty()) {
            jdbc.sql("UPDATE webhook_delivery SET locked_until = :leaseEnd WHERE id IN (:ids)")
                    .param("leaseEnd", leaseEnd).param("ids", ids).update();
        }
        return List.copyOf(byEndpoint.values());
    }

    void recordSuccess(Claimed delivery, int statusCode) {
        int recorded = jdbc.sql("""
                        UPDATE webhook_delivery SET status = 'succeeded', attempts = attempts + 1, last_status_code = ?,
                            last_error = NULL, last_attempt_at = now(), next_attempt_at = NULL, locked_until = NULL
                        WHERE id = ? AND retries_requested = ? AND locked_until = ?""")
                .params(statusCode, delivery.id(), delivery.retriesRequested(), delivery.leaseEnd()).update();
        if (recorded == 0) {
            recordAttemptBeforeRetry(delivery, statusCode, null);
        }
    }

    /**
     * A failed attempt: due again after {@code retryIn}, or {@code failed} when that is null; answers whether it
     * failed for good (not when a retry asked for meanwhile leaves it due again).
     */
    boolean recordFailure(Claimed delivery, Integer statusCode, String error, Duration retryIn) {
        String shortError = error == null ? null : error.substring(0, Math.min(error.length(), 300));
        int recorded;
        if (retryIn == null) {
            recorded = jdbc.sql("""
                            UPDATE webhook_delivery SET status = 'failed', attempts = attempts + 1,
                                round_failures = round_failures + 1, last_status_code = ?, last_error = ?,
                                last_attempt_at = now(), next_attempt_at = NULL, locked_until = NULL
                            WHERE id = ? AND retries_requested = ? AND locked_until = ?""")
                    .params(statusCode, shortError, delivery.id(), delivery.retriesRequested(), delivery.leaseEnd())
                    .update();
        } else {
            recorded = jdbc.sql("""
                            UPDATE webhook_delivery SET attempts = attempts + 1, round_failures = round_failures + 1,
                                last_status_code = ?, last_error = ?, last_attempt_at = now(),
                                next_attempt_at = now() + ? * interval '1 millisecond', locked_until = NULL
                            WHERE id = ? AND retries_requested = ? AND locked_until = ?""")
                    .params(statusCode, shortError, retryIn.toMillis(), delivery.id(), delivery.retriesRequested(),
                            delivery.leaseEnd())
                    .update();
        }
        if (recorded == 0) {
            recordAttemptBeforeRetry(delivery, statusCode, shortError);
            return false;
        }
        return retryIn == null;
    }

    /**
     * The attempt's outcome, when a retry was asked for while it was being sent: the delivery stays as the retry left
     * it (pending, due now, its whole schedule ahead), so the retry is sent after this attempt. Nothing when this
     * node's lease has ended (the delivery is another claim's now).
     */
    private void recordAttemptBeforeRetry(Claimed delivery, Integer statusCode, String error) {
        jdbc.sql("""
                        UPDATE webhook_delivery SET attempts = attempts + 1, last_status_code = ?, last_error = ?,
                            last_attempt_at = now(), locked_until = NULL
                        WHERE id = ? AND locked_until = ?""")
                .params(statusCode, error, delivery.id(), delivery.leaseEnd()).update();
    }

    /** Sent again now, with the whole retry schedule ahead; answers whether the delivery exists. */
    boolean restart(String endpointId, String id) {
        return jdbc.sql("""
                        UPDATE webhook_delivery SET status = 'pending', round_failures = 0, next_attempt_at = now(),
                            retries_requested = retries_requested + 1
                        WHERE id = ? AND endpoint_id = ?""")
                .params(id, endpointId).update() == 1;
    }

    Optional<DeliveryResponse> find(String endpointId, String id) {
        return jdbc.sql("SELECT * FROM webhook_delivery WHERE id = ? AND endpoint_id = ?")
                .params(id, endpointId).query(WebhookDeliveries::map).optional();
    }

    /** Newest first, {@code limit} from before {@code beforeSeq} (null: from the newest); each with its seq. */
    List<Paged> page(String endpointId, Long beforeSeq, int limit) {
        return jdbc.sql("""
                        SELECT * FROM webhook_delivery WHERE endpoint_id = ? AND seq < ?
                        ORDER BY seq DESC LIMIT ?""")
                .params(endpointId, beforeSeq == null ? Long.MAX_VALUE : beforeSeq, limit)
                .query((rs, row) -> new Paged(rs.getLong("seq"), map(rs, row)))
                .list();
    }

    record Paged(long seq, DeliveryResponse delivery) {
    }

    private static DeliveryResponse map(ResultSet rs, int row) throws SQLException {
        int code = rs.getInt("last_status_code");
        Integer lastStatusCode = rs.wasNull() ? null : code;
        return new DeliveryResponse(rs.getString("id"), rs.getString("event_id"), rs.getString("type"),
                rs.getString("status"), rs.getInt("attempts"), lastStatusCode, rs.getString("last_error"),
                format(DbTime.read(rs, "last_attempt_at")), format(DbTime.read(rs, "next_attempt_at")),
                format(DbTime.read(rs, "created_at")));
    }

    private static String format(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }
}
