package com.bankaccounts.api.common;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests, cloned from one kept instance: {@link MessageDigest#getInstance} looks the algorithm up among the
 * providers and checks it against the security policy on every call, a fiftieth of a GET's CPU where every request
 * hashes its API key.
 */
public final class Sha256 {

    private static final MessageDigest PROTOTYPE = prototype();

    private Sha256() {
    }

    /** A fresh digest, for input given in parts. */
    public static MessageDigest newDigest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] digest(byte[] input) {
        return newDigest().digest(input);
    }

    public static String hex(byte[] input) {
        return HexFormat.of().formatHex(digest(input));
    }

    private static MessageDigest prototype() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            // Fails at class load, not on a request, where a provider's digest cannot be cloned.
            digest.clone();
            return digest;
        } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
