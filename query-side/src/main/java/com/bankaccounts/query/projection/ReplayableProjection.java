package com.bankaccounts.query.projection;

/**
 * Marks a read-model projection that the admin may rebuild from the event store. Its processing group names it;
 * it must be idempotent (by aggregate version) and clear its tables in a {@code @ResetHandler}.
 */
public interface ReplayableProjection {
}
