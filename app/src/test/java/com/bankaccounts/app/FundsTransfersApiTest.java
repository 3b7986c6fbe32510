package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FundsTransfersApiTest extends ApiTestSupport {

    private Response transfer(TestAccount account, String bankAccountId, String type, String amount) {
        return api.post("/api/funds-transfers", account.key(),
                ApiClient.map("bankAccountId", bankAccountId, "type", type, "amount", amount));
    }

    private String storedCode(String fundsTransferId) {
        return jdbc.sql("SELECT verification_code FROM funds_transfer_code WHERE funds_transfer_id = ?")
                .param(fundsTransferId).query(String.class).single();
    }

    private Response verify(TestAccount account, String bankAccountId, String code) {
        return api.post("/api/bank-accounts/" + bankAccountId + "/verify", account.key(),
                ApiClient.map("verificationCode", code));
    }

    @Test
    void theWholeSandboxFlowVerifiesTheBankAccountAndReleasesTheTopUp() {
        TestAccount account = newAccount(true);
        String bankAccountId = createBankAccountWithAuthority(account, uniqueTestNumber()).text("id");

        Response topUp = transfer(account, bankAccountId, "topup", "1500");
        assertThat(topUp.status()).as(topUp.toString()).isEqualTo(200);
        assertThat(topUp.text("accountId")).isEqualTo(account.id());
        assertThat(topUp.text("bankAccountId")).isEqualTo(bankAccountId);
        assertThat(topUp.text("type")).isEqualTo("topup");
        assertThat(topUp.text("amount")).isEqualTo("1500");
        assertThat(topUp.text("status")).isEqualTo("created");
        assertThat(topUp.text("createdBy")).isEqualTo("crn:" + account.id() + ":api-key:MyApiKey");
        assertThat(topUp.text("updatedAt")).isNotNull();
        assertThat(topUp.text("updatedBy")).isNotNull();
        String code = statementCode(account, bankAccountId, topUp.text("id"));
        assertThat(topUp.body()).doesNotContain(code).doesNotContain("verificationCode");
        assertThat(api.get("/api/funds-transfers/" + topUp.text("id"), account.key()).json())
                .isEqualTo(topUp.json());

        Response verified = verify(account, bankAccountId, code);
        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        assertThat(verified.json()).isEqualTo(ApiClient.JSON.readTree("{\"verificationCode\":\"" + code + "\"}"));

        JsonNode bankAccount = api.get("/api/bank-accounts/" + bankAccountId, account.key()).json();
        assertThat(bankAccount.get("verified").asBoolean()).isTrue();
        assertThat(bankAccount.get("status").asString()).isEqualTo("active");
        assertThat(bankAccount.has("verificationAttemptsRemaining")).as("none left to count").isFalse();
        Response released = api.get("/api/funds-transfers/" + topUp.text("id"), account.key());
        assertThat(released.text("status")).isEqualTo("done");
        assertThat(released.body()).doesNotContain(code);

        Response again = verify(account, bankAccountId, code);
        assertThat(again.status()).isEqualTo(403);
        assertThat(again.message()).isEqualTo("BANK_ACCOUNT_ALREADY_VERIFIED");
    }

    @Test
    void aTopUpFromAVerifiedBankAccountIsDoneAtOnce() {
        TestAccount account = newAccount(true);
        String bankAccountId = createBankAccountWithAuthority(account, uniqueTestNumber()).text("id");
        String first = transfer(account, bankAccountId, "topup", "100").text("id");
        assertThat(verify(account, bankAccountId, statementCode(account, bankAccountId, first)).status())
                .isEqualTo(200);
        assertThat(transfer(account, bankAccountId, "topup", "200").text("status")).isEqualTo("done");
    }

    @Test
    void aWithdrawalNeedsNeitherAuthorityNorVerification() {
        TestAccount account = newAccount(true);
        String bankAccountId = createBankAccount(account, uniqueTestNumber()).text("id");
        Response withdrawal = transfer(account, bankAccountId, "withdrawal", "250");
        assertThat(withdrawal.status()).as(withdrawal.toString()).isEqualTo(200);
        assertThat(withdrawal.text("status")).isEqualTo("done");
        String code = statementCode(account, bankAccountId, withdrawal.text("id"));
        assertThat(verify(account, bankAccountId, code).status()).isEqualTo(200);
    }

    @Test
    void aTopUpNeedsADirectDebitAuthority() {
        TestAccount account = newAccount(true);
        String bankAccountId = createBankAccount(account, uniqueTestNumber()).text("id");
        long events = eventCount();
        Response refused = transfer(account, bankAccountId, "topup", "100");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.message()).isEqualTo("DIRECT_DEBIT_NOT_AUTHORIZED");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(api.get("/api/accounts/" + account.id() + "/funds-transfers", account.key())
                .json().get("items").size()).isZero();
    }

    @Test
    void liveTransfersAreSettledByTheAdminAndHaveNoSandboxStatement() {
        TestAccount account = newAccount(false);
        String bankAccountId = createBankAccountWithAuthority(account, "02-0500-0568903-097").text("id");
        Response statement = api.get("/api/bank-accounts/" + bankAccountId + "/test-statement", account.key());
        assertThat(statement.status()).isEqualTo(403);
        assertThat(statement.message()).isEqualTo("TEST_STATEMENT_NOT_AVAILABLE");

        Response topUp = transfer(account, bankAccountId, "topup", "1000");
        assertThat(topUp.json().has("test")).isFalse();
        assertThat(topUp.json().has("settledAt")).as(topUp.toString()).isFalse();
        String path = "/api/funds-transfers/" + topUp.text("id") + "/settle";
        Response notAdmin = api.post(path, account.key(), ApiClient.map());
        assertThat(notAdmin.status()).isEqualTo(403);
        assertThat(notAdmin.message()).isEqualTo("ADMIN_KEY_REQUIRED");

        Response settled = api.post(path, ADMIN_KEY, ApiClient.map());
        assertThat(settled.status()).as(settled.toString()).isEqualTo(200);
        assertThat(settled.text("status")).as("funds wait for verification").isEqualTo("created");
        // The status cannot say it, so the time it was settled does.
        assertThat(settled.text("settledAt")).as(settled.toString()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        assertThat(api.get("/api/funds-transfers/" + topUp.text("id"), account.key()).text("settledAt"))
                .isEqualTo(settled.text("settledAt"));
        // A change like any other: before, updatedAt and updatedBy stayed the creation's.
        assertThat(settled.text("updatedAt")).isEqualTo(settled.text("settledAt"));
        assertThat(settled.text("updatedBy")).isEqualTo("crn::api-key:admin");
        Response twice = api.post(path, ADMIN_KEY, ApiClient.map());
        assertThat(twice.message()).isEqualTo("FUNDS_TRANSFER_ALREADY_SETTLED");

        // The customer reads the code off their real bank statement.
        assertThat(verify(account, bankAccountId, storedCode(topUp.text("id"))).status()).isEqualTo(200);
        assertThat(api.get("/api/funds-transfers/" + topUp.text("id"), account.key()).text("status"))
                .isEqualTo("done");

        Response withdrawal = transfer(account, bankAccountId, "withdrawal", "500");
        assertThat(withdrawal.text("status")).isEqualTo("created");
        Response withdrawn = api.post("/api/funds-transfers/" + withdrawal.text("id") + "/settle", ADMIN_KEY, null);
        assertThat(withdrawn.text("status")).isEqualTo("done");
        assertThat(withdrawn.text("updatedBy")).isEqualTo("crn::api-key:admin");
    }

    /** The bank account {@code verifier} holds of {@code number}, and the code of a top-up another holder made. */
    private record OthersCode(String bankAccountId, String code) {
    }

    private OthersCode othersCode(TestAccount verifier, TestAccount holder, String number) {
        String verifiersBankAccount = createBankAccountWithAuthority(verifier, number).text("id");
        String holderBankAccount = createBankAccountWithAuthority(holder, number).text("id");
        String holdersTransfer = transfer(holder, holderBankAccount, "topup", "100").text("id");
        return new OthersCode(verifiersBankAccount, statementCode(holder, holderBankAccount, holdersTransfer));
    }

    @Test
    void aCodeFromTheSameNumberInAnotherAccountIsAMismatchAndCounts() {
        TestAccount other = newAccount(true);
        OthersCode others = othersCode(other, newAccount(true), uniqueTestNumber());
        String otherBankAccount = others.bankAccountId();
        String holdersCode = others.code();

        Response mismatch = verify(other, otherBankAccount, holdersCode);
        assertThat(mismatch.status()).isEqualTo(403);
        assertThat(mismatch.message()).isEqualTo("ACCOUNT_MISMATCH");
        assertThat(verify(other, otherBankAccount, holdersCode).message()).isEqualTo("ACCOUNT_MISMATCH");
        assertThat(verify(other, otherBankAccount, holdersCode).message()).isEqualTo("ACCOUNT_MISMATCH");
        assertThat(verify(other, otherBankAccount, holdersCode).message())
                .isEqualTo("BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED");
        assertThat(api.get("/api/bank-accounts/" + otherBankAccount, other.key()).json().get("verified").asBoolean())
                .isFalse();
    }

    /**
     * A test account's transfer never reaches a real statement: its code is no mismatch for a live holder of the same
     * number, only a wrong code. Before, it answered ACCOUNT_MISMATCH, telling the live caller that another account
     * held the number.
     */
    @Test
    void aTestTransfersCodeIsNoMismatchForALiveHolder() {
        TestAccount live = newAccount(false);
        OthersCode sandboxes = othersCode(live, newAccount(true), "31-2849-0000004-000");

        assertThat(verify(live, sandboxes.bankAccountId(), sandboxes.code()).message())
                .isEqualTo("VERIFICATION_CODE_INVALID");
    }

    @Test
    void pastTheLimitEvenTheRightCodeIsRefused() {
        TestAccount account = newAccount(true);
        String bankAccountId = createBankAccountWithAuthority(account, uniqueTestNumber()).text("id");
        String transferId = transfer(account, bankAccountId, "topup", "100").text("id");
        String code = statementCode(account, bankAccountId, transferId);
        String wrong = code.equals("0000") ? "0001" : "0000";
        for (int i = 0; i < 3; i++) {
            assertThat(verify(account, bankAccountId, wrong).message()).isEqualTo("VERIFICATION_CODE_INVALID");
        }
        Response refused = verify(account, bankAccountId, code);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.message()).isEqualTo("BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED");
        assertThat(api.get("/api/funds-transfers/" + transferId, account.key()).text("status")).isEqualTo("created");
    }

    @Test
    void aCodeVerifiesOnlyOnceTheBankHasPostedItsTransfer() {
        TestAccount account = newAccount(false);
        String bankAccountId = createBankAccountWithAuthority(account, "31-2849-0000001-000").text("id");
        String transferId = transfer(account, bankAccountId, "withdrawal", "1").text("id");
        String code = storedCode(transferId);
        Response early = verify(account, bankAccountId, code);
        assertThat(early.message()).as("not on any statement yet").isEqualTo("VERIFICATION_CODE_INVALID");
        assertThat(api.post("/api/funds-transfers/" + transferId + "/settle", ADMIN_KEY, null).status()).isEqualTo(200);
        assertThat(verify(account, bankAccountId, code).status()).isEqualTo(200);
    }

    /**
     * A bank account's transfers share five codes at most: past them a transfer takes one already given, and each
     * still verifies. Before, every transfer drew a new code, so an account holding someone else's number could post
     * thousands of one-cent withdrawals to it, each adding a code that verifies, and then guess.
     */
    @Test
    void aBankAccountsTransfersShareFiveCodesAtMostAndEachVerifies() {
        TestAccount account = newAccount(false);
        String bankAccountId = createBankAccountWithAuthority(account, "31-2849-0000002-000").text("id");
        List<String> transfers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String transferId = transfer(account, bankAccountId, "withdrawal", "1").text("id");
            assertThat(api.post("/api/funds-transfers/" + transferId + "/settle", ADMIN_KEY, null).status())
                    .isEqualTo(200);
            transfers.add(transferId);
        }
        assertThat(jdbc.sql("SELECT COUNT(DISTINCT verification_code) FROM funds_transfer_code"
                + " WHERE bank_account_id = ?").param(bankAccountId).query(Long.class).single()).isBetween(1L, 5L);
        // The first transfer's code, the one a customer may read first, verifies.
        assertThat(verify(account, bankAccountId, storedCode(transfers.get(0))).status()).isEqualTo(200);
    }

    /** A code not posted yet counts however old: a backlog the bank posts late would otherwise add five more. */
    @Test
    void anUnpostedTransfersCodeCountsWhateverItsAge() {
        TestAccount account = newAccount(false);
        String bankAccountId = createBankAccountWithAuthority(account, "31-2849-0000005-000").text("id");
        for (int i = 0; i < 5; i++) {
            assertThat(transfer(account, bankAccountId, "withdrawal", "1").status()).isEqualTo(200);
        }
        jdbc.sql("UPDATE funds_transfer_code SET created_at = created_at - INTERVAL '31 days'"
                + " WHERE bank_account_id = ?").param(bankAccountId).update();
        for (int i = 0; i < 5; i++) {
            assertThat(transfer(account, bankAccountId, "withdrawal", "1").status()).isEqualTo(200);
        }
        assertThat(jdbc.sql("SELECT COUNT(DISTINCT verification_code) FROM funds_transfer_code"
                + " WHERE bank_account_id = ?").param(bankAccountId).query(Long.class).single()).isBetween(1L, 5L);
    }

    @Test
    void codesOlderThanThirtyDaysNoLongerVerify() {
        TestAccount account = newAccount(true);
        String bankAccountId = createBankAccountWithAuthority(account, uniqueTestNumber()).text("id");
        String transferId = transfer(account, bankAccountId, "topup", "100").text("id");
        String code = statementCode(account, bankAccountId, transferId);
        jdbc.sql("""
                        UPDATE funds_transfer_code SET created_at = created_at - INTERVAL '31 days',
                            settled_at = settled_at - INTERVAL '31 days'
                        WHERE funds_transfer_id = ?""")
                .param(transferId).update();
        assertThat(verify(account, bankAccountId, code).message()).isEqualTo("VERIFICATION_CODE_INVALID");
    }

    @Test
    void theDeprecatedVerifyEndpointVerifiesToo() {
        TestAccount account = newAccount(true);
        String bankAccountId = createBankAccountWithAuthority(account, uniqueTestNumber()).text("id");
        String transferId = transfer(account, bankAccountId, "topup", "100").text("id");
        String code = statementCode(account, bankAccountId, transferId);
        Response verified = api.post("/api/bank-authorities/" + bankAccountId + "/verify", account.key(),
                ApiClient.map("verificationCode", code));
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.text("verificationCode")).isEqualTo(code);
        assertThat(api.get("/api/bank-authorities/" + bankAccountId, account.key()).text("status")).isEqualTo("active");
    }

    @Test
    void listsNewestFirstInPages() {
        TestAccount account = newAccount(true);
        String bankAccountId = createBankAccount(account, uniqueTestNumber()).text("id");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 27; i++) {
            ids.add(transfer(account, bankAccountId, "withdrawal", Integer.toString(i)).text("id"));
        }
        Response first = api.get("/api/accounts/" + account.id() + "/funds-transfers", account.key());
        assertThat(first.status()).isEqualTo(200);
        JsonNode items = first.json().get("items");
        assertThat(items.size()).isEqualTo(25);
        assertThat(items.get(0).get("id").asString()).isEqualTo(ids.get(26));
        String nextPageKey = first.text("nextPageKey");
        assertThat(nextPageKey).isNotBlank();

        Response second = api.get("/api/accounts/" + account.id() + "/funds-transfers?pageKey=" + nextPageKey,
                account.key());
        JsonNode rest = second.json().get("items");
        assertThat(rest.size()).isEqualTo(2);
        assertThat(rest.get(0).get("id").asString()).isEqualTo(ids.get(1));
        assertThat(rest.get(1).get("id").asString()).isEqualTo(ids.get(0));
        assertThat(second.json().has("nextPageKey")).isFalse();

        Set<String> seen = new HashSet<>();
        items.forEach(item -> seen.add(item.get("id").asString()));
        rest.forEach(item -> seen.add(item.get("id").asString()));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);

        Response bad = api.get("/api/accounts/" + account.id() + "/funds-transfers?pageKey=garbage!", account.key());
        assertThat(bad.status()).isEqualTo(400);
        // Another account's list does not take this list's key (it would start at a position from this one).
        TestAccount other = newAccount(true);
        Response foreign = api.get("/api/accounts/" + other.id() + "/funds-transfers?pageKey=" + nextPageKey,
                other.key());
        assertThat(foreign.status()).as(foreign.toString()).isEqualTo(400);
        assertThat(foreign.message()).isEqualTo("pageKey is not a page key from this list");
        // A key made before keys named their list is still taken on any.
        String legacy = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(nextPageKey), StandardCharsets.UTF_8)
                        .replaceFirst(":[^:]+$", "").getBytes(StandardCharsets.UTF_8));
        assertThat(api.get("/api/accounts/" + account.id() + "/funds-transfers?pageKey=" + legacy, account.key())
                .json().get("items").size()).isEqualTo(2);
    }

    @Test
    void badInputAnswers400AndStoresNothing() {
        TestAccount account = newAccount(true);
        String bankAccountId = createBankAccountWithAuthority(account, uniqueTestNumber()).text("id");
        long events = eventCount();
        List<Object> bodies = List.of(
                ApiClient.map("type", "topup", "amount", "100"),
                ApiClient.map("bankAccountId", bankAccountId, "amount", "100"),
                ApiClient.map("bankAccountId", bankAccountId, "type", "topup"),
                ApiClient.map("bankAccountId", bankAccountId, "type", "refund", "amount", "100"),
                ApiClient.map("bankAccountId", bankAccountId, "type", "topup", "amount", "0"),
                ApiClient.map("bankAccountId", bankAccountId, "type", "topup", "amount", "-5"),
                ApiClient.map("bankAccountId", bankAccountId, "type", "topup", "amount", "1.50"),
                ApiClient.map("bankAccountId", bankAccountId, "type", "topup", "amount", "0100"),
                ApiClient.map("bankAccountId", bankAccountId, "type", "topup", "amount", "1234567890123"),
                ApiClient.map("bankAccountId", bankAccountId, "type", "topup", "amount", 100),
                ApiClient.map("bankAccountId", 7, "type", "topup", "amount", "100"),
                ApiClient.map("bankAccountId", bankAccountId, "type", "topup", "amount", "100", "paymentConsentId", ""),
                ApiClient.map("bankAccountId", bankAccountId, "type", "topup", "amount", "100", "paymentConsentId",
                        " \u3000"),
                "{\"bankAccountId\":");
        for (Object body : bodies) {
            Response refused = api.post("/api/funds-transfers", account.key(), body);
            assertThat(refused.status()).as(String.valueOf(body)).isEqualTo(400);
            assertThat(refused.json().get("statusCode").asInt()).isEqualTo(400);
        }
        assertThat(transfer(account, bankAccountId, "topup", "999999999999").status()).isEqualTo(200);
        assertThat(eventCount()).isGreaterThan(events);
        Response unknown = transfer(account, "WRhAxxWpTKb5U7pXyxQjjY", "topup", "100");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).isEqualTo("BANK_ACCOUNT_NOT_FOUND");
        assertThat(api.get("/api/funds-transfers/WRhAxxWpTKb5U7pXyxQjjY", account.key()).message())
                .isEqualTo("FUNDS_TRANSFER_NOT_FOUND");
        assertThat(api.post("/api/funds-transfers/WRhAxxWpTKb5U7pXyxQjjY/settle", ADMIN_KEY, null).message())
                .isEqualTo("FUNDS_TRANSFER_NOT_FOUND");
        assertThat(api.post("/api/funds-transfers/" + bankAccountId + "/settle", ADMIN_KEY, null).status())
                .as("a bank account's id is no transfer's").isEqualTo(404);
    }

    @Test
    void topUpsCreatedWhileTheBankAccountIsVerifiedAreAllReleased() throws Exception {
        TestAccount account = newAccount(true);
        String bankAccountId = createBankAccountWithAuthority(account, uniqueTestNumber()).text("id");
        String first = transfer(account, bankAccountId, "topup", "100").text("id");
        String code = statementCode(account, bankAccountId, first);
        List<Callable<Response>> calls = new ArrayList<>();
        calls.add(() -> verify(account, bankAccountId, code));
        for (int i = 0; i < 12; i++) {
            calls.add(() -> transfer(account, bankAccountId, "topup", "100"));
        }
        List<Response> responses = inParallel(calls);
        assertThat(responses).allSatisfy(response -> assertThat(response.status()).as(response.toString())
                .isEqualTo(200));
        JsonNode items = api.get("/api/accounts/" + account.id() + "/funds-transfers", account.key())
                .json().get("items");
        assertThat(items.size()).isEqualTo(13);
        items.forEach(item -> assertThat(item.get("status").asString()).as(item.toString()).isEqualTo("done"));
    }
}
