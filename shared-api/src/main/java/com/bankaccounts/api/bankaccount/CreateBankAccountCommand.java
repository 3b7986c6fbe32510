package com.bankaccounts.api.bankaccount;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * {@code bankAccountNumber} as the client wrote it: the aggregate checks and canonicalises it.
 * {@code directDebitAuthority} may be null. {@code face} is the endpoint the request came through.
 */
public record CreateBankAccountCommand(@TargetAggregateIdentifier String bankAccountId,
                                       String accountId,
                                       String bankAccountNumber,
                                       String bankAccountName,
                                       DirectDebitAuthority directDebitAuthority,
                                       BankAccountFace face) {
}
