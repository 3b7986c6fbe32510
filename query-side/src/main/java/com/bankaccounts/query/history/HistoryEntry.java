package com.bankaccounts.query.history;

import java.util.Map;

/**
 * One event of a resource's history, as read from the event store: its public type (the names webhooks use), when,
 * who ({@code principal} metadata), the request that made it ({@code requestId} metadata, when recorded) and the
 * fields it changed, never a secret.
 */
public record HistoryEntry(String eventId, long sequence, String type, String time, String principal,
                           String requestId, Map<String, Object> changes) {
}
