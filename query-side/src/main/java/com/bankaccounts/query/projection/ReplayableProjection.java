package com.bankaccounts.query.projection;

/**
 * Marks a read-model projection that the admin may rebuild from the event store ({@link ProjectionRebuilds}). Its
 * processing group names it, {@link ProjectionTables} lists its tables, and it names them unqualified (a rebuild
 * runs the same handlers into copies put first on the search path). Its handlers must be idempotent by aggregate
 * version: a streaming live processor may apply again what a rebuild already holds. During a rebuild its single-row
 * writes are held back and sent in batches ({@link BatchedWrites}): a write's update count is not known then (it
 * reads 1), so no handler may depend on one.
 */
public interface ReplayableProjection {
}
