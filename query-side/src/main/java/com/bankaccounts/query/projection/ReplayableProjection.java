package com.bankaccounts.query.projection;

/**
 * Marks a read-model projection that the admin may rebuild from the event store ({@link ProjectionRebuilds}). Its
 * processing group names it, {@link ProjectionTables} lists its tables, and it names them unqualified (a rebuild
 * runs the same handlers into copies put first on the search path). Its handlers must be idempotent by aggregate
 * version: a streaming live processor may apply again what a rebuild already holds.
 */
public interface ReplayableProjection {
}
