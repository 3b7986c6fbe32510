package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A node whose database does not answer stops with Boot's failure report: the reason and what to check. */
@ExtendWith(OutputCaptureExtension.class)
class UnreachableDatabaseStartTest {

    @Test
    void aStartWithoutItsDatabaseEndsInAReportWithoutAStackTrace(CapturedOutput output) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/bank_accounts?password=s3cret-in-url";

        assertThatThrownBy(() -> new SpringApplicationBuilder(BankAccountsApplication.class)
                .run("--server.port=0", "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                        "--app.admin-api-key=unreachable-database-test-key",
                        "--app.token-encryption-key=" + ApiTestSupport.TOKEN_KEY)
                .close());

        assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
                .contains("The database could not be used: Connection to 127.0.0.1:" + closedPort + " refused.")
                .contains("SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD")
                .doesNotContain("Application run failed")
                .doesNotContain("at org.postgresql.")
                .doesNotContain("s3cret-in-url");
    }
}
