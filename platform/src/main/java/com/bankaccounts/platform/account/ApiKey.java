package com.bankaccounts.platform.account;

import java.time.Instant;

public record ApiKey(String accountId, String name, String role, boolean enabled, Instant createdAt,
                     String createdBy, Instant disabledAt, String disabledBy) {

    /** A new key, enabled. */
    public ApiKey(String accountId, String name, String role, Instant createdAt, String createdBy) {
        this(accountId, name, role, true, createdAt, createdBy, null, null);
    }

    public static final String ROLE_ACCOUNT_OWNER = "account-owner";
}
