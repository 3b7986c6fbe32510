package com.bankaccounts.platform.crypto;

import com.bankaccounts.platform.operations.InvalidSecretSettingException;
import com.bankaccounts.platform.persistence.EmbeddedPostgresConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The key for third-party tokens comes from {@code TOKEN_ENCRYPTION_KEY} (base64 of 32 bytes). On the embedded
 * default database it is generated once and kept in {@code ./data/token-encryption.key}; on a real database it must
 * be configured, since every node has to share it and losing it loses the tokens.
 */
@Configuration(proxyBeanMethods = false)
public class TokenCipherConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TokenCipherConfiguration.class);

    @Bean
    public TokenCipher tokenCipher(@Value("${app.token-encryption-key:}") String configured,
                                   @Value("${spring.datasource.url:}") String datasourceUrl,
                                   @Value("${app.data-directory:./data}") Path dataDirectory) throws IOException {
        if (!configured.isBlank()) {
            return configuredCipher(configured);
        }
        if (!EmbeddedPostgresConfiguration.inUse(datasourceUrl)) {
            throw new IllegalStateException(
                    "TOKEN_ENCRYPTION_KEY is not set: give every node the same key (base64 of 32 random bytes, "
                            + "e.g. `openssl rand -base64 32`)");
        }
        Path keyFile = dataDirectory.resolve("token-encryption.key");
        if (!Files.exists(keyFile)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(dataDirectory);
            Files.writeString(keyFile, Base64.getEncoder().encodeToString(key));
            try {
                Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                log.debug("no POSIX permissions on this file system");
            }
            log.info("Generated the token encryption key in {}", keyFile);
        }
        return new TokenCipher(Base64.getDecoder().decode(Files.readString(keyFile).trim()));
    }

    /** A key that is not base64 of 32 bytes stops the start, in Boot's report, without showing the value. */
    private static TokenCipher configuredCipher(String configured) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(configured.trim());
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length != 32) {
            throw new InvalidSecretSettingException("TOKEN_ENCRYPTION_KEY", "is not base64 of 32 bytes",
                    "Set it to base64 of 32 random bytes, e.g. `openssl rand -base64 32`, the same on every node.");
        }
        return new TokenCipher(key);
    }
}
