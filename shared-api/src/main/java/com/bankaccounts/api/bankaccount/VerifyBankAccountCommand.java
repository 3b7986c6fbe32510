package com.bankaccounts.api.bankaccount;

import java.util.Set;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A verification attempt. The sender looks up which codes are currently valid for the bank account (codes of
 * recent transfers), so the aggregate only decides.
 */
public record VerifyBankAccountCommand(@TargetAggregateIdentifier String bankAccountId,
                                       String verificationCode,
                                       Set<String> validCodes) {
}
