package com.bankaccounts.platform.security;

import com.bankaccounts.api.common.SecureRandoms;
import com.bankaccounts.api.common.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** API key secrets: random, shown once, stored only as a hash. */
public final class Secrets {

    private Secrets() {
    }

    /** 32 random bytes, URL-safe base64. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        SecureRandoms.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * SHA-256, hex. A plain hash suffices here because secrets are 256 random bits, not passwords: there is
     * nothing to guess, and a deterministic hash lets the key be found by an index.
     */
    public static String hash(String secret) {
        return Sha256.hex(secret.getBytes(StandardCharsets.UTF_8));
    }
}
