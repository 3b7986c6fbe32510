package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every endpoint, tried with no key, a wrong key, and another account's key. */
class AccessTest extends ApiTestSupport {

    private TestAccount owner;
    private TestAccount intruder;
    private String bankAccountId;

    private record Call(String method, String path, Object body) {
    }

    private String fundsTransferId;

    @BeforeEach
    void ownerWithABankAccount() {
        owner = newAccount(true);
        intruder = newAccount(true);
        bankAccountId = createBankAccountWithAuthority(owner, uniqueTestNumber()).text("id");
        fundsTransferId = api.post("/api/funds-transfers", owner.key(),
                ApiClient.map("bankAccountId", bankAccountId, "type", "topup", "amount", "100")).text("id");
    }

    private List<Call> endpoints() {
        String number = uniqueTestNumber();
        return List.of(
                new Call("GET", "/api/accounts/" + owner.id(), null),
                new Call("POST", "/api/accounts/" + owner.id() + "/api-keys",
                        ApiClient.map("name", "stolen", "role", "account-owner")),
                new Call("GET", "/api/accounts/" + owner.id() + "/api-keys", null),
                new Call("POST", "/api/bank-accounts", ApiClient.map("accountId", owner.id(),
                        "bankAccountNumber", number, "bankAccountName", "Mallory")),
                new Call("GET", "/api/bank-accounts/" + bankAccountId, null),
                new Call("GET", "/api/accounts/" + owner.id() + "/bank-accounts", null),
                new Call("POST", "/api/bank-accounts/" + bankAccountId + "/direct-debit-authorities", authority()),
                new Call("POST", "/api/bank-accounts/" + bankAccountId + "/verify",
                        ApiClient.map("verificationCode", "1111")),
                new Call("POST", "/api/bank-authorities", ApiClient.map("accountId", owner.id(),
                        "fullName", "Mallory", "phoneNumber", "+64212345678", "emailAddress", "m@evil.example",
                        "bankAccountNumber", number, "bankAccountName", "Mallory")),
                new Call("GET", "/api/bank-authorities/" + bankAccountId, null),
                new Call("POST", "/api/bank-authorities/" + bankAccountId + "/verify",
                        ApiClient.map("verificationCode", "1111")),
                new Call("POST", "/api/funds-transfers",
                        ApiClient.map("bankAccountId", bankAccountId, "type", "withdrawal", "amount", "100")),
                new Call("GET", "/api/funds-transfers/" + fundsTransferId, null),
                new Call("GET", "/api/accounts/" + owner.id() + "/funds-transfers", null),
                new Call("GET", "/api/bank-accounts/" + bankAccountId + "/test-statement", null),
                new Call("POST", "/api/funds-transfers/" + fundsTransferId + "/settle", null));
    }

    private Response call(Call call, String key) {
        return "GET".equals(call.method()) ? api.get(call.path(), key) : api.post(call.path(), key, call.body());
    }

    @Test
    void noKeyAnswers401() {
        for (Call call : endpoints()) {
            Response response = call(call, null);
            assertThat(response.status()).as(call.toString()).isEqualTo(401);
            assertThat(response.message()).isEqualTo("API_KEY_REQUIRED");
        }
        assertThat(api.get("/api/bank-authorities", null).status()).isEqualTo(401);
        assertThat(api.post("/api/accounts", null, ApiClient.map("name", "x")).status()).isEqualTo(401);
    }

    @Test
    void aWrongKeyAnswers401() {
        for (Call call : endpoints()) {
            Response response = call(call, owner.key() + "x");
            assertThat(response.status()).as(call.toString()).isEqualTo(401);
            assertThat(response.message()).isEqualTo("API_KEY_INVALID");
        }
    }

    @Test
    void anotherAccountsKeyFindsNothingAndChangesNothing() {
        String before = api.get("/api/bank-accounts/" + bankAccountId, owner.key()).body();
        long events = eventCount();
        for (Call call : endpoints()) {
            Response response = call(call, intruder.key());
            assertThat(response.status()).as(call + " -> " + response).isEqualTo(404);
            assertThat(response.message()).endsWith("NOT_FOUND");
        }
        assertThat(eventCount()).isEqualTo(events);
        assertThat(api.get("/api/bank-accounts/" + bankAccountId, owner.key()).body()).isEqualTo(before);
        assertThat(api.get("/api/bank-authorities", intruder.key()).json().size()).isZero();
        assertThat(api.get("/api/accounts/" + owner.id() + "/api-keys", owner.key()).json().size()).isEqualTo(1);
    }

    @Test
    void anEncodedPathIsAuthenticatedToo() {
        Response response = api.get("/%61pi/accounts/" + owner.id(), null);
        assertThat(response.status()).as(response.toString()).isIn(400, 401);
        assertThat(api.get("/%61pi/accounts/" + owner.id(), intruder.key()).status()).isIn(400, 404);
    }

    @Test
    void aNulInTheSandboxPagesIsBadInput() {
        assertThat(api.get("/sandbox/consent?state=%00", null).status()).isEqualTo(400);
        Response form = api.send(api.request("/sandbox/consent", null)
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("state=%00&decision=approve")).build());
        assertThat(form.status()).isEqualTo(400);
    }

    @Test
    void anAccountKeyCannotCreateAccounts() {
        Response refused = api.post("/api/accounts", intruder.key(), ApiClient.map("name", "x"));
        assertThat(refused.status()).isEqualTo(403);
    }

    @Test
    void theAdminKeyReachesEveryAccount() {
        assertThat(api.get("/api/bank-accounts/" + bankAccountId, ADMIN_KEY).status()).isEqualTo(200);
        assertThat(api.get("/api/accounts/" + owner.id() + "/bank-accounts", ADMIN_KEY).json().size()).isEqualTo(1);
    }
}
