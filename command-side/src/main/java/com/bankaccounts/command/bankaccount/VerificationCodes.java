package com.bankaccounts.command.bankaccount;

import java.util.Set;

/** Where the codes that can verify a bank account come from: the statement references of recent transfers. */
public interface VerificationCodes {

    /**
     * @param own codes of recent transfers of this bank account
     * @param otherAccounts codes of recent transfers of the same number held by another account
     */
    record RecentCodes(Set<String> own, Set<String> otherAccounts) {
    }

    RecentCodes recentCodesFor(String bankAccountId);
}
