package com.bankaccounts.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookPropertiesTest {

    private static WebhookProperties withLease(Duration lease) {
        return new WebhookProperties(List.of(), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofMillis(500), 16, 4, lease);
    }

    /** A lease covers one whole send, its host's lookup and that lookup's wait for a turn included, with 5 s spare. */
    @Test
    void theLeaseMustCoverASendWithItsLookup() {
        assertThat(withLease(Duration.ofSeconds(23)).sendTime()).isEqualTo(Duration.ofSeconds(18));
        assertThatThrownBy(() -> withLease(Duration.ofSeconds(22)))
                .hasMessageContaining("timeout + connect-timeout + 1.5 x dns-timeout");
    }
}
