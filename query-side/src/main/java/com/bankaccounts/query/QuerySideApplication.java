package com.bankaccounts.query;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The query side on its own: serves reads and keeps the read models by tracking the event store, since the
 * commands are handled by other processes (profile {@code query-only}). Its projections are rebuilt as in the
 * assembly (ProjectionRebuilds), and any number of these processes share the work and the rebuilds through the token
 * store.
 */
@SpringBootApplication(scanBasePackages = {"com.bankaccounts.platform", "com.bankaccounts.query"})
public class QuerySideApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(QuerySideApplication.class);
        application.setAdditionalProfiles("query-only");
        application.run(args);
    }
}
