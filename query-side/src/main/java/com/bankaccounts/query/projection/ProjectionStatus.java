package com.bankaccounts.query.projection;

/**
 * What the admin sees of a projection, the same from every node. {@code position} is the global index the live read
 * model has applied up to (in the assembly, written in each command's transaction, the head). While a rebuild runs,
 * {@code replaying} is true and {@code rebuildPosition} is how far the rebuild has got; the {@code replay*} fields
 * describe the last rebuild.
 */
public record ProjectionStatus(String name, String mode, boolean replaying, long position, long head,
                               Long rebuildPosition, Long replayedEvents, String replayStartedAt,
                               String replayFinishedAt, String replayError) {
}
