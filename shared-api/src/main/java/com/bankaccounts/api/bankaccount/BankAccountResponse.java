package com.bankaccounts.api.bankaccount;

import com.bankaccounts.api.approval.ApprovalSummary;
import java.util.List;

/**
 * A bank account as the API shows it. {@code test} is null, and so left out, for live data;
 * {@code verificationAttemptsRemaining} once it is verified.
 */
public record BankAccountResponse(String id,
                                  String accountId,
                                  String bankAccountNumber,
                                  String bankAccountName,
                                  boolean directDebitAuthorized,
                                  String status,
                                  boolean verified,
                                  Integer verificationAttemptsRemaining,
                                  Boolean test,
                                  String createdAt,
                                  String createdBy,
                                  String modifiedAt,
                                  String modifiedBy,
                                  List<ApprovalSummary> approvals) {

    public static final String STATUS_CREATED = "created";
    public static final String STATUS_ACTIVE = "active";

    public BankAccountResponse withApprovals(List<ApprovalSummary> summaries) {
        return new BankAccountResponse(id, accountId, bankAccountNumber, bankAccountName, directDebitAuthorized,
                status, verified, verificationAttemptsRemaining, test, createdAt, createdBy, modifiedAt, modifiedBy,
                List.copyOf(summaries));
    }
}
