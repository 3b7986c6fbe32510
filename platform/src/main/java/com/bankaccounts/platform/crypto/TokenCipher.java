package com.bankaccounts.platform.crypto;

import com.bankaccounts.api.common.SecureRandoms;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts third-party tokens (refresh tokens) for storage: AES-256-GCM with a random 96-bit IV per value, so the
 * event store and the tables only ever hold ciphertext. Format: {@code v1:} + base64(iv || ciphertext+tag).
 */
public class TokenCipher {

    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    /**
     * A cipher per thread, initialised afresh (new IV) for every value: looking one up by name walks the security
     * providers, a third of an encryption's time when every webhook body is encrypted.
     */
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(TokenCipher::newCipher);

    public TokenCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the token encryption key must be 32 bytes (base64 of 256 bits)");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    public String encrypt(String plain) {
        if (plain == null) {
            return null;
        }
        return PREFIX + Base64.getEncoder().encodeToString(seal(plain.getBytes(StandardCharsets.UTF_8)));
    }

    /** The same encryption for bytes: iv || ciphertext+tag, no prefix. */
    public byte[] seal(byte[] plain) {
        return seal(plain, null);
    }

    /** {@link #seal(byte[])}, bound to {@code context}: it opens only with the same context (GCM's associated data). */
    public byte[] seal(byte[] plain, byte[] context) {
        try {
            byte[] iv = new byte[IV_BYTES];
            SecureRandoms.nextBytes(iv);
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            if (context != null) {
                cipher.updateAAD(context);
            }
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("token encryption failed", e);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    }

    public String decrypt(String stored) {
        if (stored == null) {
            return null;
        }
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not an encrypted token");
        }
        return new String(open(Base64.getDecoder().decode(stored.substring(PREFIX.length()))), StandardCharsets.UTF_8);
    }

    /** Reverses {@link #seal(byte[])}. */
    public byte[] open(byte[] sealed) {
        return open(sealed, null);
    }

    /** Reverses {@link #seal(byte[], byte[])} with the same {@code context}. */
    public byte[] open(byte[] sealed, byte[] context) {
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            if (context != null) {
                cipher.updateAAD(context);
            }
            return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("token decryption failed: wrong key or tampered value", e);
        }
    }
}
