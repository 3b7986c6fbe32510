package com.bankaccounts.api.bankaccount;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A verification attempt with a code from a bank statement; the aggregate asks for the recent codes itself. */
public record VerifyBankAccountCommand(@TargetAggregateIdentifier String bankAccountId, String verificationCode) {
}
