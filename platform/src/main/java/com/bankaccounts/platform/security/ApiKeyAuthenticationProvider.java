package com.bankaccounts.platform.security;

import com.bankaccounts.platform.account.ApiKeyRepository;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/** Resolves a presented key to its caller: the platform admin key, else an enabled key of an account. */
@Component
public class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final AdminKey adminKey;
    private final ApiKeyRepository apiKeys;

    public ApiKeyAuthenticationProvider(AdminKey adminKey, ApiKeyRepository apiKeys) {
        this.adminKey = adminKey;
        this.apiKeys = apiKeys;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String presented = ((ApiKeyAuthentication) authentication).getCredentials();
        Optional<Caller> caller = adminKey.matches(presented)
                ? Optional.of(Caller.platformAdmin())
                : apiKeys.findCallerBySecret(presented);
        return ApiKeyAuthentication.of(caller.orElseThrow(() -> new BadCredentialsException("unknown API key")));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }
}
