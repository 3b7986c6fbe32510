package com.bankaccounts.command.connectionintent.sandbox;

import com.bankaccounts.api.bankaccount.BankAccountNumbers;
import com.bankaccounts.api.common.Sha256;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderAccount;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The sandbox bank's demo accounts for one intent: valid New Zealand numbers derived from the intent id, so every
 * test account connects numbers of its own (the two-holders-per-number rule would otherwise soon refuse them).
 */
final class SandboxAccounts {

    private SandboxAccounts() {
    }

    static List<ProviderAccount> forIntent(String connectionIntentId) {
        return List.of(
                new ProviderAccount(validNumber("01-0902-", connectionIntentId + ":everyday"), "Everyday Account"),
                new ProviderAccount(validNumber("12-3140-", connectionIntentId + ":savings"), "Online Saver"));
    }

    private static String validNumber(String bankAndBranch, String seed) {
        long start = Math.floorMod(hash(seed), 9_000_000L) + 100_000L;
        for (long base = start; ; base++) {
            String candidate = bankAndBranch + String.format("%07d", base % 9_900_000L) + "-000";
            if (BankAccountNumbers.hasValidCheckDigits(candidate)) {
                return candidate;
            }
        }
    }

    private static long hash(String seed) {
        return ByteBuffer.wrap(Sha256.digest(seed.getBytes(StandardCharsets.UTF_8))).getLong();
    }
}
