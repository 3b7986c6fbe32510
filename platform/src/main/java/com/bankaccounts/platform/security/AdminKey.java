package com.bankaccounts.platform.security;

import com.bankaccounts.platform.persistence.EmbeddedPostgresConfiguration;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The platform admin key, from {@code ADMIN_API_KEY}. On the embedded default database with no key set, one is
 * generated for this run and logged once, so a first try needs no setup.
 */
@Component
public class AdminKey {

    private static final Logger log = LoggerFactory.getLogger(AdminKey.class);

    private static final int MIN_LENGTH = 24;

    private final byte[] hash;

    public AdminKey(@Value("${app.admin-api-key:}") String configured,
                    @Value("${spring.datasource.url:}") String datasourceUrl) {
        String key = configured;
        if (key == null || key.isBlank()) {
            if (EmbeddedPostgresConfiguration.inUse(datasourceUrl)) {
                key = Secrets.newSecret();
                // Through the logger, so it reaches wherever the logs go, in their format. Only on the embedded
                // database, a local try: a real deployment sets its key and never sees one logged.
                log.warn("ADMIN_API_KEY is not set; the admin key for this run is: {}", key);
            } else {
                log.warn("ADMIN_API_KEY is not set: admin operations are disabled");
                key = null;
            }
        } else if (key.length() < MIN_LENGTH) {
            // Not refused, so that an existing deployment still starts; said, as the key acts on every account.
            log.warn("ADMIN_API_KEY is shorter than {} characters: use a random one, e.g. `openssl rand -base64 32`",
                    MIN_LENGTH);
        }
        this.hash = key == null ? null : Secrets.hash(key).getBytes(StandardCharsets.US_ASCII);
    }

    public boolean matches(String presented) {
        return matchesHash(Secrets.hash(presented));
    }

    /** Whether a secret's {@link Secrets#hash} is this key's, for callers that hashed it already. */
    public boolean matchesHash(String presentedHash) {
        return hash != null && MessageDigest.isEqual(hash, presentedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
