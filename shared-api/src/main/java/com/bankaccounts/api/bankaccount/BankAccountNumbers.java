package com.bankaccounts.api.bankaccount;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * New Zealand bank account numbers: the format, and the check digits published by Inland Revenue
 * (see shared/nz-bank-account-numbers.md). Test accounts need only the format.
 */
public final class BankAccountNumbers {

    private static final Pattern DASHED = Pattern.compile("(\\d{2})[- ](\\d{4})[- ](\\d{7})[- ](\\d{2,3})");
    private static final Pattern PLAIN = Pattern.compile("(\\d{2})(\\d{4})(\\d{7})(\\d{2,3})");

    private record Algorithm(int[] weights, int modulus, boolean foldDigits) {
    }

    // Weights over the 18 padded digits: bank(2) branch(4) base(8) suffix(4).
    private static final Algorithm A = new Algorithm(
            new int[]{0, 0, 6, 3, 7, 9, 0, 0, 10, 5, 8, 4, 2, 1, 0, 0, 0, 0}, 11, false);
    private static final Algorithm B = new Algorithm(
            new int[]{0, 0, 0, 0, 0, 0, 0, 0, 10, 5, 8, 4, 2, 1, 0, 0, 0, 0}, 11, false);
    private static final Algorithm D = new Algorithm(
            new int[]{0, 0, 0, 0, 0, 0, 0, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0, 0}, 11, false);
    private static final Algorithm E = new Algorithm(
            new int[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 4, 3, 2, 0, 0, 0, 1}, 11, true);
    private static final Algorithm F = new Algorithm(
            new int[]{0, 0, 0, 0, 0, 0, 0, 1, 7, 3, 1, 7, 3, 1, 0, 0, 0, 0}, 10, false);
    private static final Algorithm G = new Algorithm(
            new int[]{0, 0, 0, 0, 0, 0, 0, 1, 3, 7, 1, 3, 7, 1, 0, 3, 7, 1}, 10, true);
    private static final Algorithm X = new Algorithm(new int[18], 1, false);
    /** Stands for "A or B, chosen by the base" in the bank table. */
    private static final Algorithm A_OR_B = new Algorithm(new int[18], 11, false);

    private record Bank(Algorithm algorithm, int[][] branchRanges) {
    }

    private static final Map<Integer, Bank> BANKS = Map.ofEntries(
            Map.entry(1, ab(1, 999, 1100, 1199, 1800, 1899)),
            Map.entry(2, ab(1, 999, 1200, 1299)),
            Map.entry(3, ab(1, 999, 1300, 1399, 1500, 1599, 1700, 1799, 1900, 1999, 7350, 7399)),
            Map.entry(4, ab(2020, 2024)),
            Map.entry(6, ab(1, 999, 1400, 1499)),
            Map.entry(8, bank(D, 6500, 6599)),
            Map.entry(9, bank(E, 0, 0)),
            Map.entry(10, ab(5165, 5169)),
            Map.entry(11, ab(5000, 6499, 6600, 8999)),
            Map.entry(12, ab(3000, 3299, 3400, 3499, 3600, 3699)),
            Map.entry(13, ab(4900, 4999)),
            Map.entry(14, ab(4700, 4799)),
            Map.entry(15, ab(3900, 3999)),
            Map.entry(16, ab(4400, 4499)),
            Map.entry(17, ab(3300, 3399)),
            Map.entry(18, ab(3500, 3599)),
            Map.entry(19, ab(4600, 4649)),
            Map.entry(20, ab(4100, 4199)),
            Map.entry(21, ab(4800, 4899)),
            Map.entry(22, ab(4000, 4049)),
            Map.entry(23, ab(3700, 3799)),
            Map.entry(24, ab(4300, 4349)),
            Map.entry(25, bank(F, 2500, 2599)),
            Map.entry(26, bank(G, 2600, 2699)),
            Map.entry(27, ab(3800, 3849)),
            Map.entry(28, bank(G, 2100, 2149)),
            Map.entry(29, bank(G, 2150, 2299)),
            Map.entry(30, ab(2900, 2949)),
            Map.entry(31, bank(X, 2800, 2849)),
            Map.entry(33, bank(F, 6700, 6799)),
            Map.entry(35, ab(2400, 2499)),
            Map.entry(38, ab(9000, 9499)));

    private BankAccountNumbers() {
    }

    /**
     * The canonical dashed form ({@code BB-bbbb-AAAAAAA-SSS}, suffix padded to three digits) of a well-formed
     * number, or empty when the text is not a bank account number at all.
     */
    public static Optional<String> canonical(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String trimmed = raw.trim();
        Matcher m = DASHED.matcher(trimmed);
        if (!m.matches()) {
            m = PLAIN.matcher(trimmed);
            if (!m.matches()) {
                return Optional.empty();
            }
        }
        String suffix = m.group(4).length() == 2 ? "0" + m.group(4) : m.group(4);
        return Optional.of(m.group(1) + "-" + m.group(2) + "-" + m.group(3) + "-" + suffix);
    }

    /** Whether a canonical number passes Inland Revenue's bank, branch and check-digit rules. */
    public static boolean hasValidCheckDigits(String canonical) {
        String[] parts = canonical.split("-");
        int bankNumber = Integer.parseInt(parts[0]);
        int branch = Integer.parseInt(parts[1]);
        Bank bank = BANKS.get(bankNumber);
        if (bank == null || !inRanges(branch, bank.branchRanges())) {
            return false;
        }
        String base = pad(parts[2], 8);
        String digits = pad(parts[0], 2) + pad(parts[1], 4) + base + pad(parts[3], 4);
        Algorithm algorithm = bank.algorithm();
        if (algorithm == A_OR_B) {
            algorithm = Long.parseLong(base) < 990000L ? A : B;
        }
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int product = (digits.charAt(i) - '0') * algorithm.weights()[i];
            if (algorithm.foldDigits()) {
                product = digitSum(digitSum(product));
            }
            sum += product;
        }
        return sum % algorithm.modulus() == 0;
    }

    private static Bank ab(int... ranges) {
        return bank(A_OR_B, ranges);
    }

    private static Bank bank(Algorithm algorithm, int... ranges) {
        int[][] pairs = new int[ranges.length / 2][];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = new int[]{ranges[2 * i], ranges[2 * i + 1]};
        }
        return new Bank(algorithm, pairs);
    }

    private static boolean inRanges(int branch, int[][] ranges) {
        for (int[] range : ranges) {
            if (branch >= range[0] && branch <= range[1]) {
                return true;
            }
        }
        return false;
    }

    private static int digitSum(int value) {
        int sum = 0;
        while (value > 0) {
            sum += value % 10;
            value /= 10;
        }
        return sum;
    }

    private static String pad(String digits, int width) {
        return "0".repeat(width - digits.length()) + digits;
    }
}
