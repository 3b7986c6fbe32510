package com.bankaccounts.api.connectionintent;

import java.util.List;

/**
 * A connection intent (or, on the legacy face, a bank account request) as the API shows it; nulls are left out. Once
 * authorized it names the bank accounts it linked ({@code bankAccountIds}) and, for each, its consent approval
 * ({@code approvalIds}, in the same order).
 */
public record ConnectionIntentResponse(String id,
                                       String accountId,
                                       String type,
                                       String status,
                                       String createdAt,
                                       String createdBy,
                                       String updatedAt,
                                       String updatedBy,
                                       String authorizationUrl,
                                       Boolean test,
                                       String bankAccountId,
                                       String name,
                                       String period,
                                       String totalAmount,
                                       String redirectUri,
                                       String expiresAt,
                                       List<String> bankAccountIds,
                                       List<String> approvalIds) {

    public static final String STATUS_CREATED = "created";
    public static final String STATUS_AUTHORIZED = "authorized";
    public static final String STATUS_FAILED = "failed";
    /** The user refused the consent; a bank account request (the older face) shows it as {@code failed}. */
    public static final String STATUS_DECLINED = "declined";
    /** How a bank account request (the older face of the flow) shows {@code authorized}. */
    public static final String STATUS_DONE = "done";

    /** A status as a bank account request (the older face) shows it: authorized as done, declined as failed. */
    public static String onRequestFace(String status) {
        if (STATUS_AUTHORIZED.equals(status)) {
            return STATUS_DONE;
        }
        return STATUS_DECLINED.equals(status) ? STATUS_FAILED : status;
    }
}
