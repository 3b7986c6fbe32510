package com.bankaccounts.query;

import com.bankaccounts.platform.testing.PostgresTestDatabase;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The test run's PostgreSQL database with the application's schema, for projection tests without a server. */
public final class ReadModelDatabase {

    private static JdbcClient jdbc;
    private static DataSource dataSource;

    private ReadModelDatabase() {
    }

    public static synchronized JdbcClient jdbc() {
        connect();
        return jdbc;
    }

    public static synchronized DataSource dataSource() {
        connect();
        return dataSource;
    }

    private static void connect() {
        if (jdbc == null) {
            // Asks the same initializer as the server tests, so the database comes from one place.
            try (GenericApplicationContext context = new GenericApplicationContext()) {
                new PostgresTestDatabase().initialize(context);
                Environment environment = context.getEnvironment();
                dataSource = new DriverManagerDataSource(
                        environment.getRequiredProperty("spring.datasource.url"),
                        environment.getRequiredProperty("spring.datasource.username"),
                        environment.getProperty("spring.datasource.password", ""));
                Flyway.configure().dataSource(dataSource).load().migrate();
                jdbc = JdbcClient.create(dataSource);
            }
        }
    }
}
