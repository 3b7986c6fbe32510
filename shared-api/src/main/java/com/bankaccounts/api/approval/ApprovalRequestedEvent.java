package com.bankaccounts.api.approval;

import com.bankaccounts.api.connectionintent.PaymentConsentTerms;

/** {@code encryptedRefreshToken} is AES-GCM ciphertext: the event store never holds the token itself. */
public record ApprovalRequestedEvent(String approvalId,
                                     String accountId,
                                     String bankAccountId,
                                     ApprovalType type,
                                     ApprovalStatus status,
                                     String mediaUploadId,
                                     String encryptedRefreshToken,
                                     String consentId,
                                     PaymentConsentTerms paymentTerms) implements ApprovalActivityEvent {

    @Override
    public ApprovalStatus resultingStatus() {
        return status;
    }

    @Override
    public String reason() {
        return null;
    }
}
