package com.bankaccounts.platform.security;

import com.bankaccounts.platform.account.ApiKeyRepository;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Resolves a presented key to its caller: the platform admin key, else an enabled key of an account. Keys found in
 * the database are remembered by the hash of their secret for {@code app.api-keys.cache-ttl} (5 s), so a key that
 * is disabled (or deleted) in the database stops working within that time on every node, without any node telling
 * the others; unknown keys are never remembered, so a new key works at once and guessing fills nothing.
 */
@Component
public class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final AdminKey adminKey;
    private final ApiKeyRepository apiKeys;
    private final Cache<String, Caller> known;

    public ApiKeyAuthenticationProvider(AdminKey adminKey, ApiKeyRepository apiKeys,
                                        @Value("${app.api-keys.cache-ttl:5s}") Duration cacheTtl,
                                        @Value("${app.api-keys.cache-size:10000}") long cacheSize) {
        this.adminKey = adminKey;
        this.apiKeys = apiKeys;
        this.known = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(cacheSize).build();
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String hash = Secrets.hash(((ApiKeyAuthentication) authentication).getCredentials());
        // Caffeine keeps no null: an unknown key is looked up again next time, never remembered.
        Caller caller = adminKey.matchesHash(hash) ? Caller.platformAdmin()
                : known.get(hash, h -> apiKeys.findCallerByHash(h).orElse(null));
        if (caller == null) {
            throw new BadCredentialsException("unknown API key");
        }
        return ApiKeyAuthentication.of(caller);
    }

    /** Stops remembering a key, by the hash of its secret: disabled here, it is refused at once. */
    public void forget(String secretHash) {
        known.invalidate(secretHash);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }
}
