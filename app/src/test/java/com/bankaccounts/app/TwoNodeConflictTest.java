package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import com.bankaccounts.platform.testing.PostgresTestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two nodes on one database: a command that lost its aggregate's append to the other node is retried, so the loser
 * answers as the rules say (a 403 of its own), not 409 CONCURRENT_MODIFICATION.
 */
class TwoNodeConflictTest extends ApiTestSupport {

    private static ConfigurableApplicationContext other;
    private static ApiClient otherNode;

    @BeforeAll
    static void startOtherNode() {
        other = new SpringApplicationBuilder(BankAccountsApplication.class)
                .initializers(new PostgresTestDatabase())
                .run("--server.port=0", "--app.admin-api-key=" + ADMIN_KEY, "--app.token-encryption-key=" + TOKEN_KEY,
                        "--app.rate-limit.requests-per-minute=0");
        otherNode = new ApiClient(Integer.parseInt(other.getEnvironment().getRequiredProperty("local.server.port")));
    }

    @AfterAll
    static void stopOtherNode() {
        if (other != null) {
            other.close();
        }
    }

    @Test
    void aDirectDebitAuthorisedOnBothNodesAtOnceIsRefusedOnOneAsTheRulesSay() throws Exception {
        List<Response> losers = new ArrayList<>();
        JsonLogCapture log = JsonLogCapture.start();
        for (int round = 0; round < 20; round++) {
            TestAccount account = newAccount(true);
            String bankAccountId = newBankAccount(account);
            String path = "/api/bank-accounts/" + bankAccountId + "/direct-debit-authorities";
            List<Callable<Response>> both = List.of(() -> api.post(path, account.key(), authority()),
                    () -> otherNode.post(path, account.key(), authority()));
            List<Response> answers = inParallel(both);
            assertThat(answers).as(answers.toString()).filteredOn(answer -> answer.status() == 200).hasSize(1);
            answers.stream().filter(answer -> answer.status() != 200).forEach(losers::add);
        }
        log.close();
        assertThat(losers).as(losers.toString()).allSatisfy(loser ->
                assertRefused(loser, 403, "DIRECT_DEBIT_ALREADY_AUTHORIZED"));
        // A retry is logged with its conflict, never with the event it tried to store (the authority's phone number).
        assertThat(log.lines()).noneMatch(line -> line.contains("+64212345678")
                || line.contains(HexFormat.of().formatHex("+64212345678".getBytes(StandardCharsets.UTF_8))));
    }
}
