package com.bankaccounts.query.projection;

import java.util.List;
import java.util.Map;

/**
 * The tables each replayable projection writes, by its processing group: a rebuild builds copies of exactly these
 * aside and swaps them in. A projection's tables change here when its read model's do.
 */
final class ProjectionTables {

    private static final Map<String, List<String>> TABLES = Map.of(
            "bank-accounts", List.of("bank_account_view"),
            "funds-transfers", List.of("funds_transfer_view"),
            "approvals", List.of("approval_view", "approval_activity_view", "payment_consent_usage_view"),
            "connection-intents", List.of("connection_intent_view"));

    private ProjectionTables() {
    }

    static List<String> of(String projection) {
        List<String> tables = TABLES.get(projection);
        if (tables == null) {
            throw new IllegalStateException("No tables listed in ProjectionTables for projection " + projection);
        }
        return tables;
    }
}
