package com.bankaccounts.api.approval;

import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import java.time.Instant;

/**
 * {@code encryptedRefreshToken} is AES-GCM ciphertext: the event store never holds the token itself.
 * {@code expiresAt}: when a consent expires (added later, null in older events and for settlements).
 * {@code connectionIntentId}: the intent whose grant a consent came from; the consents of one grant share its refresh
 * token (added later, null in older events and for settlements).
 */
public record ApprovalRequestedEvent(String approvalId,
                                     String accountId,
                                     String bankAccountId,
                                     ApprovalType type,
                                     ApprovalStatus status,
                                     String mediaUploadId,
                                     String encryptedRefreshToken,
                                     String consentId,
                                     PaymentConsentTerms paymentTerms,
                                     Instant expiresAt,
                                     String connectionIntentId) implements ApprovalActivityEvent {

    public ApprovalRequestedEvent(String approvalId, String accountId, String bankAccountId, ApprovalType type,
                                  ApprovalStatus status, String mediaUploadId, String encryptedRefreshToken,
                                  String consentId, PaymentConsentTerms paymentTerms, Instant expiresAt) {
        this(approvalId, accountId, bankAccountId, type, status, mediaUploadId, encryptedRefreshToken, consentId,
                paymentTerms, expiresAt, null);
    }

    public ApprovalRequestedEvent(String approvalId, String accountId, String bankAccountId, ApprovalType type,
                                  ApprovalStatus status, String mediaUploadId, String encryptedRefreshToken,
                                  String consentId, PaymentConsentTerms paymentTerms) {
        this(approvalId, accountId, bankAccountId, type, status, mediaUploadId, encryptedRefreshToken, consentId,
                paymentTerms, null);
    }

    @Override
    public ApprovalStatus resultingStatus() {
        return status;
    }

    @Override
    public String reason() {
        return null;
    }
}
