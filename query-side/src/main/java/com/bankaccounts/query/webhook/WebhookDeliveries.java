package com.bankaccounts.query.webhook;

import com.bankaccounts.api.common.CodePoints;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.platform.persistence.DbTime;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
     * enabled endpoint when it was recorded), and the endpoints it was recorded for (null: not known, all of them).
     */
    record RecordedType(String type, String accountId, boolean hasBody, List<String> endpoints) {
    }

    /**
     * A body of null records that nobody was listening (see WebhookEventRecorder); with a body, {@code endpoints} are
     * the account's enabled endpoints at that moment, the ones the event is for.
     */
    void recordEvent(String eventId, String type, String accountId, Instant createdAt, String body,
                     List<String> endpoints) {
        jdbc.sql("""
                        INSERT INTO webhook_event (event_id, type, account_id, created_at, body, endpoint_ids)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(eventId, type, accountId, DbTime.of(createdAt), body,
                        endpoints == null ? null : endpoints.toArray(String[]::new))
                .update();
    }

    /** Of the recorded events among {@code eventIds}, each one's type and account, by event id: one statement. */
    Map<String, RecordedType> findEventTypes(List<String> eventIds) {
        Map<String, RecordedType> found = new HashMap<>();
        jdbc.sql("""
                        SELECT event_id, type, account_id, body IS NOT NULL AS has_body, endpoint_ids
                        FROM webhook_event WHERE event_id = ANY (?)""")
                .param(eventIds.toArray(String[]::new))
                .query(rs -> {
                    Array endpoints = rs.getArray("endpoint_ids");
                    found.put(rs.getString("event_id"), new RecordedType(rs.getString("type"),
                            rs.getString("account_id"), rs.getBoolean("has_body"),
                            endpoints == null ? null : List.of((String[]) endpoints.getArray())));
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
     * it commits.
     * <p>
     * The oldest {@link #WINDOW} due deliveries are read first, by age. Only when all of them are of endpoints that may
     * not be sent to now (in flight, or of an account at its cap: the backlog such endpoints hold is the oldest) and
     * senders are left free, the endpoints with pending deliveries are gone through one by one (a look-up each).
     */
    List<List<Claimed>> claimDue(int endpoints, int perEndpoint, int perAccount, Duration lease) {
        jdbc.sql("SELECT 1 FROM pg_advisory_xact_lock(hashtext(?))").param(CLAIM_LOCK).query(Integer.class).single();
        Map<String, Integer> sending = new HashMap<>();
        Set<String> flying = new HashSet<>();
        jdbc.sql("""
                        SELECT DISTINCT x.endpoint_id, e.account_id
                        FROM webhook_delivery x LEFT JOIN webhook_endpoint_view e ON e.id = x.endpoint_id
                        WHERE x.status = 'pending' AND x.locked_until >= now()""")
                .query(rs -> {
                    flying.add(rs.getString("endpoint_id"));
                    if (rs.getString("account_id") != null) {
                        sending.merge(rs.getString("account_id"), 1, Integer::sum);
                    }
                });
        Batches batches = new Batches(endpoints, perEndpoint, perAccount, flying, sending);
        List<Due> oldest = jdbc.sql(DUE_BY_AGE).param(WINDOW).query(WebhookDeliveries::due).list();
        batches.take(oldest);
        if (oldest.size() == WINDOW && !batches.full()) {
            batches.take(jdbc.sql(DUE_BY_ENDPOINT).param(perEndpoint).query(WebhookDeliveries::due).list());
        }
        if (batches.isEmpty()) {
            return List.of();
        }
        OffsetDateTime leaseEnd = jdbc.sql("SELECT now() + ? * interval '1 millisecond'").param(lease.toMillis())
                .query(OffsetDateTime.class).single();
        // Taken only if still due and free, as it is now: claims take turns, but a retry asked for or a late outcome
        // recorded may have moved a delivery since it was read.
        Map<String, Claimed> taken = new HashMap<>();
        jdbc.sql("UPDATE webhook_delivery SET locked_until = :leaseEnd WHERE id IN (:ids) AND " + DUE_AND_FREE
                        + " RETURNING id, endpoint_id, event_id, round_failures, retries_requested")
                .param("leaseEnd", leaseEnd).param("ids", batches.ids())
                .query((rs, row) -> claimed(rs, leaseEnd)).list()
                .forEach(claimed -> taken.put(claimed.id(), claimed));
        return batches.taken(taken);
    }

    /** How many due deliveries a claim reads by age before it looks endpoint by endpoint. */
    static final int WINDOW = 500;

    /** A delivery a claim may take: pending, due, and in no unexpired lease (the columns unqualified). */
    private static final String DUE_AND_FREE =
            "status = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())";

    /** The oldest due deliveries, whatever their endpoints: a bounded read of the due index. */
    private static final String DUE_BY_AGE = """
            SELECT d.id, d.endpoint_id, d.event_id, d.round_failures, d.retries_requested, e.account_id
            FROM (SELECT * FROM webhook_delivery WHERE %s ORDER BY next_attempt_at, seq LIMIT ?) d
            LEFT JOIN webhook_endpoint_view e ON e.id = d.endpoint_id
            ORDER BY d.next_attempt_at, d.seq""".formatted(DUE_AND_FREE);

    /**
     * Endpoint by endpoint (skipping through the pending index), each one's oldest due deliveries, by age; those of
     * endpoints in flight are left out as the first read's are ({@code Batches}). Read only when the oldest are all
     * held: its cost grows with the endpoints that have pending deliveries.
     */
    private static final String DUE_BY_ENDPOINT = """
            WITH RECURSIVE pending (endpoint_id) AS (
                (SELECT endpoint_id FROM webhook_delivery WHERE status = 'pending' ORDER BY endpoint_id LIMIT 1)
                UNION ALL
                SELECT (SELECT w.endpoint_id FROM webhook_delivery w
                        WHERE w.status = 'pending' AND w.endpoint_id > p.endpoint_id ORDER BY w.endpoint_id LIMIT 1)
                FROM pending p WHERE p.endpoint_id IS NOT NULL)
            SELECT d.id, d.endpoint_id, d.event_id, d.round_failures, d.retries_requested, e.account_id
            FROM pending p
            LEFT JOIN webhook_endpoint_view e ON e.id = p.endpoint_id
            CROSS JOIN LATERAL (
                SELECT x.* FROM webhook_delivery x
                WHERE x.endpoint_id = p.endpoint_id AND %s
                ORDER BY x.next_attempt_at, x.seq LIMIT ?) d
            WHERE p.endpoint_id IS NOT NULL
            ORDER BY d.next_attempt_at, d.seq""".formatted(DUE_AND_FREE);

    private static Due due(ResultSet rs, int row) throws SQLException {
        return new Due(claimed(rs, null), rs.getString("account_id"));
    }

    private static Claimed claimed(ResultSet rs, OffsetDateTime leaseEnd) throws SQLException {
        return new Claimed(rs.getString("id"), rs.getString("endpoint_id"), rs.getString("event_id"),
                rs.getInt("round_failures"), rs.getInt("retries_requested"), leaseEnd);
    }

    /** A claim's batches as it builds them, oldest first, within its caps. */
    private static final class Batches {

        private final int endpoints;
        private final int perEndpoint;
        private final int perAccount;
        private final Set<String> flying;
        private final Map<String, Integer> sending;
        private final Map<String, List<Claimed>> byEndpoint = new LinkedHashMap<>();
        private final Set<String> ids = new HashSet<>();

        Batches(int endpoints, int perEndpoint, int perAccount, Set<String> flying, Map<String, Integer> sending) {
            this.endpoints = endpoints;
            this.perEndpoint = perEndpoint;
            this.perAccount = perAccount;
            this.flying = flying;
            this.sending = sending;
        }

        void take(List<Due> due) {
            for (Due next : due) {
                Claimed delivery = next.delivery();
                if (flying.contains(delivery.endpointId()) || !ids.add(delivery.id())) {
                    continue;
                }
                List<Claimed> batch = byEndpoint.get(delivery.endpointId());
                if (batch == null && !full() && (next.accountId() == null
                        || sending.getOrDefault(next.accountId(), 0) < perAccount)) {
                    batch = new ArrayList<>();
                    byEndpoint.put(delivery.endpointId(), batch);
                    if (next.accountId() != null) {
                        sending.merge(next.accountId(), 1, Integer::sum);
                    }
                }
                if (batch != null && batch.size() < perEndpoint) {
                    batch.add(delivery);
                }
            }
        }

        boolean full() {
            return byEndpoint.size() >= endpoints;
        }

        boolean isEmpty() {
            return byEndpoint.isEmpty();
        }

        List<String> ids() {
            return byEndpoint.values().stream().flatMap(List::stream).map(Claimed::id).toList();
        }

        /** The batches of the deliveries taken, as taking them found them; none left empty. */
        List<List<Claimed>> taken(Map<String, Claimed> taken) {
            return byEndpoint.values().stream()
                    .map(batch -> batch.stream().map(delivery -> taken.get(delivery.id())).filter(Objects::nonNull)
                            .toList())
                    .filter(batch -> !batch.isEmpty())
                    .toList();
        }
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
        String shortError = error == null ? null : CodePoints.first(error, 300);
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

    /**
     * Sent again now, with the whole retry schedule ahead; answers whether it was: not when the delivery is unknown,
     * nor while its endpoint is disabled (checked in the same statement, so a disable that committed first is seen).
     */
    boolean restart(String endpointId, String id) {
        return jdbc.sql("""
                        UPDATE webhook_delivery SET status = 'pending', round_failures = 0, next_attempt_at = now(),
                            retries_requested = retries_requested + 1
                        WHERE id = ? AND endpoint_id = ?
                            AND EXISTS (SELECT 1 FROM webhook_endpoint_view e WHERE e.id = ? AND e.enabled)""")
                .params(id, endpointId, endpointId).update() == 1;
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
