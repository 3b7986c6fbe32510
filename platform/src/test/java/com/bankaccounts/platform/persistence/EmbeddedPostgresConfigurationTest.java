package com.bankaccounts.platform.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

class EmbeddedPostgresConfigurationTest {

    @TempDir
    Path dataDirectory;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withUserConfiguration(EmbeddedPostgresConfiguration.class)
                .withPropertyValues("app.data-directory=" + dataDirectory);
    }

    @Test
    void withoutADatasourceUrlServesAPostgresqlWhoseDataOutliveTheProcessThatWroteThem() {
        AtomicInteger firstPort = new AtomicInteger();
        runner().run(context -> {
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("SELECT current_database()", String.class)).isEqualTo("bank_accounts");
            assertThat(jdbc.queryForObject("SHOW server_version", String.class)).startsWith("18.");
            jdbc.execute("CREATE TABLE kept (id INT PRIMARY KEY)");
            jdbc.update("INSERT INTO kept VALUES (42)");
            firstPort.set(context.getBean(EmbeddedPostgres.class).getPort());
        });

        assertThat(answers(firstPort.get())).as("stopped with its context").isFalse();
        assertThat(dataDirectory.resolve("postgres/PG_VERSION")).exists();
        runner().run(context -> {
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("SELECT id FROM kept", Integer.class)).isEqualTo(42);
        });
    }

    @Test
    void aConfiguredDatasourceUrlLeavesItOut() {
        runner().withPropertyValues("spring.datasource.url=jdbc:postgresql://localhost:1/none")
                .run(context -> assertThat(context).doesNotHaveBean(EmbeddedPostgres.class));
        assertThat(dataDirectory.resolve("postgres")).doesNotExist();
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
