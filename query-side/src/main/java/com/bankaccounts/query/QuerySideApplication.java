package com.bankaccounts.query;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The query side on its own: serves reads and keeps the read models by tracking the event store, since the
 * commands are handled by other processes.
 */
@SpringBootApplication(scanBasePackages = {"com.bankaccounts.platform", "com.bankaccounts.query"})
public class QuerySideApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(QuerySideApplication.class);
        application.setDefaultProperties(Map.of(
                "axon.eventhandling.processors.bank-accounts.mode", "pooled",
                "axon.eventhandling.processors.funds-transfers.mode", "pooled",
                "axon.eventhandling.processors.approvals.mode", "pooled",
                "axon.eventhandling.processors.connection-intents.mode", "pooled"));
        application.run(args);
    }
}
