package com.bankaccounts.query.approval;

import com.bankaccounts.api.approval.ApprovalActivity;
import com.bankaccounts.api.approval.ApprovalActivityEvent;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import java.time.Instant;
import org.axonframework.eventhandling.DomainEventMessage;

/**
 * One activity of an approval: every approval event is one. {@link #of} is the one mapping of an event to its
 * activity, shared by the projection (the approval's {@code approvalActivities}) and the history (the event store).
 */
public record ApprovalActivityRow(String approvalId, int activityNumber, String activityType, String reason,
                                  Instant createdAt, String createdBy) {

    public static ApprovalActivityRow of(DomainEventMessage<? extends ApprovalActivityEvent> message) {
        ApprovalActivityEvent event = message.getPayload();
        return new ApprovalActivityRow(event.approvalId(),
                ApprovalActivityEvent.activityNumber(message.getSequenceNumber()),
                event.resultingStatus().value(), event.reason(), message.getTimestamp(),
                (String) message.getMetaData().get(AxonJdbcConfiguration.PRINCIPAL));
    }

    public ApprovalActivity toActivity() {
        return new ApprovalActivity(activityNumber, approvalId, activityType, reason, Timestamps.format(createdAt),
                createdBy);
    }
}
