package com.bankaccounts.api.common;

/** Resource ids: 22 characters of base58 from 128 random bits, as in the spec's examples. */
public final class Ids {

    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final int BASE = 58;
    private static final int LENGTH = 22;

    private Ids() {
    }

    public static String newId() {
        byte[] bytes = new byte[16];
        SecureRandoms.nextBytes(bytes);
        return encode(bytes);
    }

    /**
     * The 128 bits as 22 base58 digits, most significant first. Divides four 32-bit limbs held in longs rather than a
     * {@code BigInteger}, which allocated two numbers per digit on every create.
     */
    static String encode(byte[] bytes) {
        long[] limbs = new long[4];
        for (int i = 0; i < 16; i++) {
            limbs[i >> 2] = (limbs[i >> 2] << 8) | (bytes[i] & 0xff);
        }
        char[] out = new char[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            long remainder = 0;
            for (int limb = 0; limb < limbs.length; limb++) {
                long value = (remainder << 32) | limbs[limb];
                limbs[limb] = value / BASE;
                remainder = value % BASE;
            }
            out[i] = ALPHABET.charAt((int) remainder);
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
