package com.bankaccounts.api.bankaccount;

import java.util.Set;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A verification attempt. The sender looks up the codes of recent transfers, so the aggregate only decides:
 * {@code validCodes} belong to transfers of this bank account; {@code otherAccountCodes} to transfers of the same
 * bank account number held by another account.
 */
public record VerifyBankAccountCommand(@TargetAggregateIdentifier String bankAccountId,
                                       String verificationCode,
                                       Set<String> validCodes,
                                       Set<String> otherAccountCodes) {
}
