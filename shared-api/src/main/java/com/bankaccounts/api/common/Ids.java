package com.bankaccounts.api.common;

import java.math.BigInteger;

/** Resource ids: 22 characters of base58 from 128 random bits, as in the spec's examples. */
public final class Ids {

    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);
    private static final int LENGTH = 22;

    private Ids() {
    }

    public static String newId() {
        byte[] bytes = new byte[16];
        SecureRandoms.nextBytes(bytes);
        BigInteger value = new BigInteger(1, bytes);
        char[] out = new char[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            BigInteger[] qr = value.divideAndRemainder(BASE);
            out[i] = ALPHABET.charAt(qr[1].intValue());
            value = qr[0];
        }
        return new String(out);
    }

    /** True for strings that could be an id we issued; lets lookups of obvious garbage answer 404 without a query. */
    public static boolean isWellFormed(String id) {
        if (id == null || id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (ALPHABET.indexOf(id.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }
}
