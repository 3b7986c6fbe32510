package com.bankaccounts.api.bankaccount;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** {@code bankAccountNumber} is already canonical; {@code directDebitAuthority} may be null. */
public record CreateBankAccountCommand(@TargetAggregateIdentifier String bankAccountId,
                                       String accountId,
                                       String bankAccountNumber,
                                       String bankAccountName,
                                       boolean test,
                                       DirectDebitAuthority directDebitAuthority) {
}
