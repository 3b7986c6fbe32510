package com.bankaccounts.platform.account;

import java.time.Instant;

public record Account(String id, String name, boolean test, Instant createdAt, String createdBy) {
}
