package com.bankaccounts.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestLogFilterTest {

    @Test
    void aNewRequestIdIsARandomUuidNotSeenBefore() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = RequestLogFilter.newRequestId();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
            assertThat(seen.add(id)).isTrue();
        }
    }

    @Test
    void aCallersWellFormedIdIsKeptAndAnyOtherReplaced() {
        assertThat(RequestLogFilter.requestId("proxy-7.abc_D")).isEqualTo("proxy-7.abc_D");
        assertThat(RequestLogFilter.requestId("two words")).matches("[0-9a-f-]{36}");
        assertThat(RequestLogFilter.requestId("x".repeat(129))).matches("[0-9a-f-]{36}");
        assertThat(RequestLogFilter.requestId(null)).matches("[0-9a-f-]{36}");
    }
}
