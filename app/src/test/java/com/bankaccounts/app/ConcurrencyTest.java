package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Limits and uniqueness under real parallel HTTP requests. */
class ConcurrencyTest extends ApiTestSupport {

    @Test
    void twelveAccountsRacingForOneNumberLeaveExactlyTwoHolders() throws Exception {
        String number = uniqueTestNumber();
        List<TestAccount> accounts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            accounts.add(newAccount(true));
        }
        List<Callable<Response>> calls = new ArrayList<>();
        for (TestAccount account : accounts) {
            calls.add(() -> createBankAccount(account, number));
        }
        Map<String, Long> outcomes = tally(inParallel(calls));
        assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(
                Map.of("200", 2L, "403 BANK_ACCOUNT_HOLDER_LIMIT_EXCEEDED", 10L));
        Long holders = jdbc.sql("SELECT COUNT(*) FROM bank_account_view WHERE bank_account_number = ?")
                .param(number).query(Long.class).single();
        assertThat(holders).isEqualTo(2);
    }

    @Test
    void eightRacingCreatesOfOneNumberInOneAccountLeaveOne() throws Exception {
        TestAccount account = newAccount(true);
        String number = uniqueTestNumber();
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(() -> createBankAccount(account, number));
        }
        Map<String, Long> outcomes = tally(inParallel(calls));
        assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(
                Map.of("200", 1L, "403 DUPLICATE_BANK_ACCOUNT", 7L));
        assertThat(api.get("/api/accounts/" + account.id() + "/bank-accounts", account.key()).json().size())
                .isEqualTo(1);
    }

    @Test
    void aBurstOfSixtyCreatesNeverExceedsTheLimit() throws Exception {
        TestAccount account = newAccount(true);
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String number = uniqueTestNumber();
            calls.add(() -> createBankAccount(account, number));
        }
        Map<String, Long> outcomes = tally(inParallel(calls));
        assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(
                Map.of("200", 10L, "403 BANK_ACCOUNT_LIMIT_EXCEEDED", 50L));
        assertThat(api.get("/api/accounts/" + account.id() + "/bank-accounts", account.key()).json().size())
                .isEqualTo(10);
    }

    @Test
    void parallelWrongGuessesCountNoMoreThanTheLimit() throws Exception {
        TestAccount account = newAccount(true);
        String id = createBankAccountWithAuthority(account, uniqueTestNumber()).text("id");
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String guess = String.format("%04d", i);
            calls.add(() -> api.post("/api/bank-accounts/" + id + "/verify", account.key(),
                    ApiClient.map("verificationCode", guess)));
        }
        Map<String, Long> outcomes = tally(inParallel(calls));
        assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of(
                "403 VERIFICATION_CODE_INVALID", 3L, "403 BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED", 17L));
        Response later = api.post("/api/bank-accounts/" + id + "/verify", account.key(),
                ApiClient.map("verificationCode", "1234"));
        assertThat(later.message()).isEqualTo("BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED");
    }

    private static Map<String, Long> tally(List<Response> responses) {
        return responses.stream().collect(Collectors.groupingBy(
                (Function<Response, String>) r -> r.status() == 200 ? "200" : r.status() + " " + r.message(),
                Collectors.counting()));
    }
}
