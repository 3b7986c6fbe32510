package com.bankaccounts.platform.crypto;

import com.bankaccounts.platform.operations.InvalidSecretSettingException;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Refuses to start with a TOKEN_ENCRYPTION_KEY other than the one this database's tokens and secrets are encrypted
 * with: such a node would start, report ready, and then fail to read every consent token, webhook secret and kept
 * answer (and write ones no other node can read). The first node to start on a database seals a known value with its
 * key; every node after opens it.
 */
@Component
class TokenKeyCheck {

    private static final String MARKER = "token-encryption-key-check";

    TokenKeyCheck(JdbcClient jdbc, TokenCipher cipher) {
        Optional<String> sealed = sealed(jdbc);
        if (sealed.isEmpty()) {
            // The first start since the check came: a database already in use says by its secrets which key is
            // right, so that a first node with the wrong one does not seal it and shut out every other.
            Optional<String> existing = jdbc.sql("SELECT encrypted_key FROM consent_data_keys LIMIT 1")
                    .query(String.class).optional()
                    .or(() -> jdbc.sql("SELECT encrypted_secret FROM webhook_endpoint_view LIMIT 1")
                            .query(String.class).optional());
            if (existing.isPresent() && opened(cipher, existing.get()).isEmpty()) {
                throw wrongKey();
            }
            jdbc.sql("INSERT INTO token_key_check (id, sealed) VALUES (1, ?) ON CONFLICT DO NOTHING")
                    .param(cipher.encrypt(MARKER)).update();
            sealed = sealed(jdbc);
        }
        if (!sealed.flatMap(value -> opened(cipher, value)).filter(MARKER::equals).isPresent()) {
            throw wrongKey();
        }
    }

    private static Optional<String> sealed(JdbcClient jdbc) {
        return jdbc.sql("SELECT sealed FROM token_key_check WHERE id = 1").query(String.class).optional();
    }

    private static InvalidSecretSettingException wrongKey() {
        return new InvalidSecretSettingException("TOKEN_ENCRYPTION_KEY",
                "is not the key this database's tokens and secrets are encrypted with",
                "Give this node the key the other nodes (and the first one on this database) have; on the "
                        + "embedded database, restore the data directory's token-encryption.key.");
    }

    /** The value, when this key opens it. */
    private static Optional<String> opened(TokenCipher cipher, String encrypted) {
        try {
            return Optional.ofNullable(cipher.decrypt(encrypted));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
