package com.bankaccounts.platform.operations;

/**
 * A streaming event processor that feeds background work rather than a read model (the webhook fan-out): while it is
 * in error nothing this process answers is stale, so readiness ({@link EventProcessorsHealthIndicator}) leaves it out.
 */
public record ServesNoReads(String processorName) {
}
