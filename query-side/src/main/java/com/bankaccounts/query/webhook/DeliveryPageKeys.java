package com.bankaccounts.query.webhook;

import com.bankaccounts.platform.crypto.TokenCipher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalLong;
import org.springframework.stereotype.Component;

/**
 * The deliveries list's page keys. A page ends at a position in {@code webhook_delivery.seq}, a counter every
 * account's deliveries share: shown as it is, two page keys a while apart would tell an account how many deliveries
 * the others received meanwhile. So the position is sealed with the server's key, bound to the endpoint's id: a key
 * is opaque, and one altered or taken from another endpoint's list does not open.
 */
@Component
class DeliveryPageKeys {

    /** IV, an 8-byte position, GCM's tag: anything else was never a page key. */
    private static final int SEALED_BYTES = 12 + Long.BYTES + 16;

    private final TokenCipher cipher;

    DeliveryPageKeys(TokenCipher cipher) {
        this.cipher = cipher;
    }

    String after(String endpointId, long seq) {
        byte[] sealed = cipher.seal(ByteBuffer.allocate(Long.BYTES).putLong(seq).array(), context(endpointId));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    /** The position a page key of this endpoint's list stands for; empty for anything else. */
    OptionalLong position(String endpointId, String pageKey) {
        byte[] sealed;
        try {
            sealed = Base64.getUrlDecoder().decode(pageKey);
        } catch (IllegalArgumentException e) {
            return OptionalLong.empty();
        }
        if (sealed.length != SEALED_BYTES) {
            return OptionalLong.empty();
        }
        try {
            long seq = ByteBuffer.wrap(cipher.open(sealed, context(endpointId))).getLong();
            return seq > 0 ? OptionalLong.of(seq) : OptionalLong.empty();
        } catch (IllegalStateException e) {
            return OptionalLong.empty(); // altered, another endpoint's, or sealed with another key
        }
    }

    private static byte[] context(String endpointId) {
        return ("webhook-deliveries:" + endpointId).getBytes(StandardCharsets.UTF_8);
    }
}
