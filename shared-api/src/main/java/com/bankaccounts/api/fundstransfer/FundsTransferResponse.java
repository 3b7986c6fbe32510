package com.bankaccounts.api.fundstransfer;

/**
 * A funds transfer as the API shows it: never with its verification code. {@code settledAt}: when the bank posted it
 * (absent until then), which a top up's {@code status} does not show while its bank account is unverified.
 */
public record FundsTransferResponse(String id,
                                    String accountId,
                                    String bankAccountId,
                                    String type,
                                    String amount,
                                    String status,
                                    Boolean test,
                                    String settledAt,
                                    String createdAt,
                                    String createdBy,
                                    String updatedAt,
                                    String updatedBy) {

    public static final String STATUS_CREATED = "created";
    public static final String STATUS_DONE = "done";
}
