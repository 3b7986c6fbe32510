package com.bankaccounts.platform.crypto;

import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.SecureRandoms;
import java.util.Base64;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Envelope encryption of consents' refresh tokens, for crypto-shredding: each token is encrypted under a fresh data
 * key of its own, which is kept (encrypted with the server's {@link TokenCipher}) in {@code consent_data_keys}, not
 * in the event store. {@link #shred} deletes the key, and with it every copy of that ciphertext becomes unreadable,
 * the immutable events included. Format: {@code k1:<keyId>:} + the data key's {@link TokenCipher} format. Values in
 * the older format ({@code v1:}, under the server key itself) are still read, but cannot be shredded.
 */
@Component
public class ConsentTokens {

    private static final String PREFIX = "k1:";

    private final JdbcClient jdbc;
    private final TokenCipher serverCipher;

    public ConsentTokens(JdbcClient jdbc, TokenCipher serverCipher) {
        this.jdbc = jdbc;
        this.serverCipher = serverCipher;
    }

    /** Encrypts under a new data key, stored in the caller's transaction (if any). */
    public String encrypt(String plain) {
        if (plain == null) {
            return null;
        }
        byte[] key = new byte[32];
        SecureRandoms.nextBytes(key);
        String keyId = Ids.newId();
        jdbc.sql("INSERT INTO consent_data_keys (key_id, encrypted_key) VALUES (?, ?)")
                .params(keyId, serverCipher.encrypt(Base64.getEncoder().encodeToString(key)))
                .update();
        return PREFIX + keyId + ":" + new TokenCipher(key).encrypt(plain);
    }

    /** The token; empty when there is none or its key has been shredded. */
    public Optional<String> decrypt(String stored) {
        if (stored == null) {
            return Optional.empty();
        }
        if (!stored.startsWith(PREFIX)) {
            return Optional.of(serverCipher.decrypt(stored));
        }
        int end = stored.indexOf(':', PREFIX.length());
        String keyId = stored.substring(PREFIX.length(), end);
        return jdbc.sql("SELECT encrypted_key FROM consent_data_keys WHERE key_id = ?")
                .param(keyId)
                .query(String.class)
                .optional()
                .map(encryptedKey -> new TokenCipher(Base64.getDecoder().decode(serverCipher.decrypt(encryptedKey)))
                        .decrypt(stored.substring(end + 1)));
    }

    /** Deletes the value's data key, in the caller's transaction; an older-format value has none. */
    public void shred(String stored) {
        keyIdOf(stored).ifPresent(keyId -> jdbc.sql("DELETE FROM consent_data_keys WHERE key_id = ?")
                .param(keyId).update());
    }

    /** Whether the value is encrypted under a data key of its own (so that it can be shredded). */
    public static boolean shreddable(String stored) {
        return keyIdOf(stored).isPresent();
    }

    private static Optional<String> keyIdOf(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return Optional.of(stored.substring(PREFIX.length(), stored.indexOf(':', PREFIX.length())));
    }
}
