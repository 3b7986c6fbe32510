package com.bankaccounts.api.approval;

import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A settlement approval carries {@code mediaUploadId}; a consent approval carries the third party's
 * {@code refreshToken} (plain here: commands are never stored; it is encrypted before it becomes an event) and
 * {@code consentId}; a payment consent also its {@code paymentTerms}.
 */
public record RequestApprovalCommand(@TargetAggregateIdentifier String approvalId,
                                     String accountId,
                                     String bankAccountId,
                                     ApprovalType type,
                                     String mediaUploadId,
                                     String refreshToken,
                                     String consentId,
                                     PaymentConsentTerms paymentTerms) {

    @Override
    public String toString() {
        return "RequestApprovalCommand[approvalId=" + approvalId + ", type=" + type + ", bankAccountId="
                + bankAccountId + "]";
    }
}
