package com.bankaccounts.platform.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An API key as presented ({@link #presented}), or once resolved the {@link Caller} it belongs to, the principal of
 * the request. The admin key carries {@link #ADMIN_ROLE}, which the admin-only rules of the filter chain ask for.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    public static final String ADMIN_ROLE = "ADMIN";

    private final String key;
    private final Caller caller;

    private ApiKeyAuthentication(String key, Caller caller, List<GrantedAuthority> authorities) {
        super(authorities);
        this.key = key;
        this.caller = caller;
        setAuthenticated(caller != null);
    }

    public static ApiKeyAuthentication presented(String key) {
        return new ApiKeyAuthentication(key, null, List.of());
    }

    public static ApiKeyAuthentication of(Caller caller) {
        return new ApiKeyAuthentication(null, caller,
                caller.admin() ? List.of(new SimpleGrantedAuthority("ROLE_" + ADMIN_ROLE)) : List.of());
    }

    /** The key as sent; erased once it is resolved. */
    @Override
    public String getCredentials() {
        return key;
    }

    /** The caller, once the key is resolved. */
    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller == null ? "" : caller.crn();
    }
}
