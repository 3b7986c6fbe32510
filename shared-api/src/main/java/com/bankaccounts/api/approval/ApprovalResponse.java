package com.bankaccounts.api.approval;

import java.util.List;

/**
 * An approval as the API shows it; null fields are left out. {@code expiresAt}: when a consent expires;
 * {@code currentPeriod}: what an approved payment consent has used of its current period.
 */
public record ApprovalResponse(String id,
                               String bankAccountId,
                               String accountId,
                               String type,
                               String status,
                               String mediaUploadId,
                               String refreshToken,
                               String consentId,
                               String name,
                               String period,
                               String totalAmount,
                               String createdAt,
                               String createdBy,
                               String modifiedAt,
                               String modifiedBy,
                               List<ApprovalActivity> approvalActivities,
                               String expiresAt,
                               PaymentConsentUsage currentPeriod) {

    public ApprovalResponse(String id, String bankAccountId, String accountId, String type, String status,
                            String mediaUploadId, String refreshToken, String consentId, String name, String period,
                            String totalAmount, String createdAt, String createdBy, String modifiedAt,
                            String modifiedBy, List<ApprovalActivity> approvalActivities) {
        this(id, bankAccountId, accountId, type, status, mediaUploadId, refreshToken, consentId, name, period,
                totalAmount, createdAt, createdBy, modifiedAt, modifiedBy, approvalActivities, null, null);
    }

    /** The same approval without its refresh token: what a webhook carries, since only the API shows the token. */
    public ApprovalResponse withoutRefreshToken() {
        return new ApprovalResponse(id, bankAccountId, accountId, type, status, mediaUploadId, null, consentId, name,
                period, totalAmount, createdAt, createdBy, modifiedAt, modifiedBy, approvalActivities, expiresAt,
                currentPeriod);
    }
}
