package com.bankaccounts.command.connectionintent;

import com.bankaccounts.command.connectionintent.provider.TokenRevocations;
import com.bankaccounts.platform.crypto.ConsentTokens;
import com.bankaccounts.platform.crypto.TokenCipher;
import org.springframework.stereotype.Component;

/**
 * The grant a code exchange returned, as kept in the registry until it is applied: its lines (a format mark, the
 * access token, the refresh token already encrypted under a data key of its own, the consent id) encrypted with the
 * server key. Tokens hold no line breaks (the provider's answer is checked for RFC 6749's characters).
 */
@Component
class KeptGrants {

    /** Marks a kept grant whose refresh token is itself ciphertext (older kept grants held it plain). */
    private static final String FORMAT = "v2";

    private final TokenCipher cipher;
    private final ConsentTokens tokens;
    private final TokenRevocations revocations;

    KeptGrants(TokenCipher cipher, ConsentTokens tokens, TokenRevocations revocations) {
        this.cipher = cipher;
        this.tokens = tokens;
        this.revocations = revocations;
    }

    /** The access token (used at once, never stored elsewhere) and the refresh token, encrypted. */
    record KeptGrant(String accessToken, String encryptedRefreshToken, String consentId) {
    }

    String seal(KeptGrant grant) {
        return cipher.encrypt(String.join("\n", FORMAT, grant.accessToken(),
                orEmpty(grant.encryptedRefreshToken()), orEmpty(grant.consentId())));
    }

    KeptGrant open(String kept) {
        String[] parts = cipher.decrypt(kept).split("\n", -1);
        if (parts.length == 4 && FORMAT.equals(parts[0])) {
            return new KeptGrant(parts[1], orNull(parts[2]), orNull(parts[3]));
        }
        // Kept before the refresh token was encrypted on its own: encrypted now, once.
        return new KeptGrant(parts[0], parts[1].isEmpty() ? null : tokens.encrypt(parts[1]), orNull(parts[2]));
    }

    /**
     * Ends a grant nothing will apply, in the caller's transaction: its refresh token shredded and, when {@code live},
     * revoked at the provider. The revocation task is named by the code too: an intent may end more than one grant.
     */
    void end(String connectionIntentId, String codeHash, KeptGrant grant, boolean live) {
        String task = codeHash == null ? connectionIntentId : connectionIntentId + "/" + codeHash.substring(0, 16);
        revocations.end(task, grant.encryptedRefreshToken(), live);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String orNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
