package com.bankaccounts.command.connectionintent.provider;

import com.bankaccounts.api.common.SecureRandoms;
import com.bankaccounts.api.common.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** PKCE (RFC 7636, S256) and the state parameter: random, URL-safe values. */
public final class Pkce {


    private Pkce() {
    }

    /** 32 random bytes, base64url: 43 characters, as RFC 7636 asks of a verifier; also used for state. */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        SecureRandoms.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String challengeOf(String verifier) {
        byte[] digest = Sha256.digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
}
