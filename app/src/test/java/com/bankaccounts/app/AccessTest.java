package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.net.http.HttpRequest;
import java.util.ArrayList;
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
    private String mediaUploadId;
    private String approvalId;
    private String connectionIntentId;
    private String bankAccountRequestId;

    @BeforeEach
    void ownerWithOneOfEverything() {
        owner = newAccount(true);
        intruder = newAccount(true);
        bankAccountId = createBankAccountWithAuthority(owner, uniqueTestNumber()).text("id");
        fundsTransferId = api.post("/api/funds-transfers", owner.key(),
                ApiClient.map("bankAccountId", bankAccountId, "type", "topup", "amount", "100")).text("id");
        mediaUploadId = uploadPdf(owner).text("id");
        approvalId = api.post("/api/bank-account-approvals", owner.key(), ApiClient.map(
                "mediaUploadId", mediaUploadId, "bankAccountId", bankAccountId, "type", "settlement")).text("id");
        connectionIntentId = api.post("/api/bank-account-connection-intents", owner.key(), ApiClient.map(
                "accountId", owner.id(), "type", "account-information-consent", "test", true)).text("id");
        bankAccountRequestId = api.post("/api/bank-account-requests", owner.key(),
                ApiClient.map("accountId", owner.id(), "type", "quartz-details")).text("id");
        assertThat(List.of(fundsTransferId, mediaUploadId, approvalId, connectionIntentId, bankAccountRequestId))
                .doesNotContainNull();
    }

    private List<Call> endpoints() {
        String number = uniqueTestNumber();
        return List.of(
                new Call("GET", "/api/accounts/" + owner.id(), null),
                new Call("POST", "/api/accounts/" + owner.id() + "/api-keys",
                        ApiClient.map("name", "stolen", "role", "account-owner")),
                new Call("GET", "/api/accounts/" + owner.id() + "/api-keys", null),
                new Call("POST", "/api/accounts/" + owner.id() + "/api-keys/MyApiKey/disable", null),
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
                new Call("GET", "/api/media-uploads/" + mediaUploadId, null),
                new Call("GET", "/api/media-uploads/" + mediaUploadId + "/content", null),
                new Call("POST", "/api/bank-account-approvals", ApiClient.map("mediaUploadId", mediaUploadId,
                        "bankAccountId", bankAccountId, "type", "settlement")),
                new Call("GET", "/api/bank-account-approvals/" + approvalId, null),
                new Call("GET", "/api/bank-account-approvals/" + approvalId + "/history", null),
                new Call("GET", "/api/bank-accounts/" + bankAccountId + "/approvals", null),
                new Call("POST", "/api/bank-account-connection-intents", ApiClient.map("accountId", owner.id(),
                        "type", "account-information-consent", "test", true)),
                new Call("GET", "/api/bank-account-connection-intents/" + connectionIntentId, null),
                new Call("POST", "/api/bank-account-connection-intents/" + connectionIntentId + "/authorize",
                        ApiClient.map("code", "stolen", "state", "stolen")),
                new Call("POST", "/api/bank-account-requests",
                        ApiClient.map("accountId", owner.id(), "type", "quartz-details")),
                new Call("GET", "/api/bank-account-requests/" + bankAccountRequestId, null),
                new Call("POST", "/api/bank-account-requests/" + bankAccountRequestId + "/authorize",
                        ApiClient.map("code", "stolen", "state", "stolen")),
                new Call("GET", "/api/bank-accounts/" + bankAccountId + "/history", null),
                new Call("GET", "/api/funds-transfers/" + fundsTransferId + "/history", null),
                new Call("GET", "/api/bank-account-connection-intents/" + connectionIntentId + "/history", null));
    }

    /** Admin only: refused to every account key alike, before the resource is looked at (so nothing leaks). */
    private List<Call> adminEndpoints() {
        return List.of(
                new Call("POST", "/api/accounts", ApiClient.map("name", "x")),
                new Call("POST", "/api/funds-transfers/" + fundsTransferId + "/settle", null),
                new Call("POST", "/api/bank-account-approvals/" + approvalId + "/accept", ApiClient.map()),
                new Call("POST", "/api/bank-account-approvals/" + approvalId + "/decline",
                        ApiClient.map("reason", "x")),
                new Call("POST", "/api/bank-account-approvals/" + approvalId + "/complete", ApiClient.map()),
                new Call("GET", "/api/admin/projections", null),
                new Call("POST", "/api/admin/projections/approvals/replay", null),
                new Call("GET", "/api/admin/audit/verify", null));
    }

    private Response call(Call call, String key) {
        return "GET".equals(call.method()) ? api.get(call.path(), key) : api.post(call.path(), key, call.body());
    }

    private List<Call> allEndpoints() {
        List<Call> all = new ArrayList<>(endpoints());
        all.addAll(adminEndpoints());
        return all;
    }

    @Test
    void noKeyAnswers401() {
        for (Call call : allEndpoints()) {
            Response response = call(call, null);
            assertThat(response.status()).as(call.toString()).isEqualTo(401);
            assertThat(response.message()).isEqualTo("API_KEY_REQUIRED");
        }
        assertThat(api.get("/api/bank-authorities", null).status()).isEqualTo(401);
        assertThat(uploadPdf(new TestAccount(owner.id(), null)).message()).isEqualTo("API_KEY_REQUIRED");
    }

    @Test
    void aWrongKeyAnswers401() {
        for (Call call : allEndpoints()) {
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
                .POST(HttpRequest.BodyPublishers.ofString("state=%00&decision=approve")).build());
        assertThat(form.status()).isEqualTo(400);
    }

    @Test
    void anAccountKeyIsRefusedTheAdminEndpointsWhateverItOwns() {
        long events = eventCount();
        for (TestAccount caller : List.of(owner, intruder)) {
            for (Call call : adminEndpoints()) {
                Response response = call(call, caller.key());
                assertThat(response.status()).as(call + " -> " + response).isEqualTo(403);
                assertThat(response.message()).isEqualTo("ADMIN_KEY_REQUIRED");
            }
        }
        Response unknown = api.post("/api/funds-transfers/WRhAxxWpTKb5U7pXyxQjjY/settle", intruder.key(), null);
        assertThat(unknown.status()).isEqualTo(403);
        assertThat(unknown.body()).isEqualTo(api.post("/api/funds-transfers/" + fundsTransferId + "/settle",
                intruder.key(), null).body());
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void theAdminKeyReachesEveryAccount() {
        assertThat(api.get("/api/bank-accounts/" + bankAccountId, ADMIN_KEY).status()).isEqualTo(200);
        assertThat(api.get("/api/accounts/" + owner.id() + "/bank-accounts", ADMIN_KEY).json().size()).isEqualTo(1);
    }
}
