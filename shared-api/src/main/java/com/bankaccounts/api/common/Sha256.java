package com.bankaccounts.api.common;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests, cloned from one kept instance: {@link MessageDigest#getInstance} looks the algorithm up among the
 * providers and checks it against the security policy on every call, a fiftieth of a GET's CPU where every request
 * hashes its API key. A provider whose digest cannot be cloned gets a new instance per call, as before.
 */
public final class Sha256 {

    private static final MessageDigest PROTOTYPE = cloneable(newInstance());

    private Sha256() {
    }

    /** A fresh digest, for input given in parts. */
    public static MessageDigest newDigest() {
        if (PROTOTYPE == null) {
            return newInstance();
        }
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

    private static MessageDigest newInstance() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest cloneable(MessageDigest digest) {
        try {
            digest.clone();
            return digest;
        } catch (CloneNotSupportedException e) {
            return null;
        }
    }
}
