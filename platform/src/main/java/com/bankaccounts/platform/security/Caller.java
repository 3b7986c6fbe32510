package com.bankaccounts.platform.security;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling: an account's API key, or the platform admin key ({@code accountId} null).
 *
 * @param crn the principal recorded in {@code createdBy}/{@code modifiedBy} and on every event
 */
public record Caller(String accountId, String crn, boolean admin) {

    public static final String ADMIN_CRN = "crn::api-key:admin";

    public static Caller platformAdmin() {
        return new Caller(null, ADMIN_CRN, true);
    }

    public static Caller apiKey(String accountId, String keyName) {
        return new Caller(accountId, "crn:" + accountId + ":api-key:" + keyName, false);
    }

    /** The caller this thread serves: the principal of its security context, if an API key authenticated it. */
    public static Optional<Caller> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Caller caller
                ? Optional.of(caller)
                : Optional.empty();
    }

    /** Whether this caller may see and change the resources of the given account. */
    public boolean canAccess(String resourceAccountId) {
        return admin || (resourceAccountId != null && resourceAccountId.equals(accountId));
    }

    /** Whether a resource exists (its owner was found) and this caller may see and change it. */
    public boolean canAccessOwnedBy(Optional<String> resourceAccountId) {
        return resourceAccountId.map(this::canAccess).orElse(false);
    }
}
