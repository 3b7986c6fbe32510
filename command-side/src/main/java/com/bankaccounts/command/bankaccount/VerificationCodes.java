package com.bankaccounts.command.bankaccount;

import java.util.Set;

/** Where the codes that can verify a bank account come from: the references of its recent transfers. */
public interface VerificationCodes {

    Set<String> validCodesFor(String bankAccountId);
}
