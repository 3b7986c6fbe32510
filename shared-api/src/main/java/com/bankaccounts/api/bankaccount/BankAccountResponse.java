package com.bankaccounts.api.bankaccount;

/** A bank account as the API shows it. {@code test} is null, and so left out, for live data. */
public record BankAccountResponse(String id,
                                  String accountId,
                                  String bankAccountNumber,
                                  String bankAccountName,
                                  boolean directDebitAuthorized,
                                  String status,
                                  boolean verified,
                                  Boolean test,
                                  String createdAt,
                                  String createdBy,
                                  String modifiedAt,
                                  String modifiedBy) {

    public static final String STATUS_CREATED = "created";
    public static final String STATUS_ACTIVE = "active";
}
