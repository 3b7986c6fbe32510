package com.bankaccounts.api.fundstransfer;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * {@code amount} in cents. {@code accountId} is the account the caller acts for, whose bank account it must be; null
 * when the caller may act for any account (the admin key). {@code paymentConsentId}: the approved payment consent of
 * the bank account that a top up is made under (and held to), if any.
 */
public record CreateFundsTransferCommand(@TargetAggregateIdentifier String fundsTransferId,
                                         String bankAccountId,
                                         FundsTransferType type,
                                         long amount,
                                         String accountId,
                                         String paymentConsentId) {

    public CreateFundsTransferCommand(String fundsTransferId, String bankAccountId, FundsTransferType type,
                                      long amount, String accountId) {
        this(fundsTransferId, bankAccountId, type, amount, accountId, null);
    }
}
