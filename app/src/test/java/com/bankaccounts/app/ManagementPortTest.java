package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.TestPropertySource;

/** MANAGEMENT_SERVER_PORT: the actuator on a port of its own, where a scraper needs no key; gone from the API's. */
@TestPropertySource(properties = "management.server.port=0")
class ManagementPortTest extends ApiTestSupport {

    @LocalManagementPort
    int managementPort;

    @Test
    void prometheusAndTheProbesAnswerOnTheManagementPortOnly() {
        assertThat(managementPort).isNotEqualTo(port);
        ApiClient management = new ApiClient(managementPort);
        assertThat(management.get("/actuator/prometheus", null).body()).contains("hikaricp_connections_active");
        assertThat(management.get("/actuator/health/readiness", null).text("status")).isEqualTo("UP");
        assertRefused(management.get("/actuator/env", ADMIN_KEY), 404, "NOT_FOUND");
        assertRefused(management.get("/actuator/health/x", null), 404, "NOT_FOUND");
        assertRefused(api.get("/actuator/prometheus", ADMIN_KEY), 404, "NOT_FOUND");
        // Unknown there whatever the key: an account's key is not told it needs the admin's.
        assertRefused(api.get("/actuator/prometheus", newAccount(true).key()), 404, "NOT_FOUND");
        assertRefused(api.get("/actuator/prometheus", null), 404, "NOT_FOUND");
    }
}
