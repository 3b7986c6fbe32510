package com.bankaccounts.platform.account;

import java.time.Instant;

public record ApiKey(String accountId, String name, String role, boolean enabled, Instant createdAt,
                     String createdBy) {

    public static final String ROLE_ACCOUNT_OWNER = "account-owner";
}
