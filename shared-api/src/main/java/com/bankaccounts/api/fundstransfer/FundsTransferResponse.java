package com.bankaccounts.api.fundstransfer;

/** A funds transfer as the API shows it: never with its verification code. */
public record FundsTransferResponse(String id,
                                    String accountId,
                                    String bankAccountId,
                                    String type,
                                    String amount,
                                    String status,
                                    Boolean test,
                                    String createdAt,
                                    String createdBy,
                                    String updatedAt,
                                    String updatedBy) {

    public static final String STATUS_CREATED = "created";
    public static final String STATUS_DONE = "done";
}
