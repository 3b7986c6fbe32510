package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountsApiTest extends ApiTestSupport {

    @Test
    void healthAnswersUp() {
        Response health = api.get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("UP");
    }

    @Test
    void adminCreatesAnAccount() {
        Response created = api.post("/api/accounts", ADMIN_KEY, ApiClient.map("name", "Acme", "test", true));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.text("id")).hasSize(22);
        assertThat(created.text("name")).isEqualTo("Acme");
        assertThat(created.json().get("test").asBoolean()).isTrue();
        assertThat(created.text("createdAt")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(created.text("createdBy")).isEqualTo("crn::api-key:admin");

        Response read = api.get("/api/accounts/" + created.text("id"), ADMIN_KEY);
        assertThat(read.json()).isEqualTo(created.json());
    }

    @Test
    void accountDefaultsToLive() {
        Response created = api.post("/api/accounts", ADMIN_KEY, ApiClient.map("name", "Live Ltd"));
        assertThat(created.json().get("test").asBoolean()).isFalse();
    }

    @Test
    void onlyTheAdminCreatesAccounts() {
        TestAccount account = newAccount(true);
        Response refused = api.post("/api/accounts", account.key(), ApiClient.map("name", "Other"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.message()).isEqualTo("ADMIN_KEY_REQUIRED");
    }

    @Test
    void accountCreationValidatesItsInput() {
        assertThat(api.post("/api/accounts", ADMIN_KEY, ApiClient.map("test", true)).message())
                .isEqualTo("name is required");
        assertThat(api.post("/api/accounts", ADMIN_KEY, ApiClient.map("name", "A", "test", "yes")).status())
                .isEqualTo(400);
        assertThat(api.post("/api/accounts", ADMIN_KEY, "{").status()).isEqualTo(400);
    }

    @Test
    void keysSeeTheirOwnAccountOnly() {
        TestAccount mine = newAccount(true);
        TestAccount theirs = newAccount(true);
        assertThat(api.get("/api/accounts/" + mine.id(), mine.key()).status()).isEqualTo(200);
        Response other = api.get("/api/accounts/" + theirs.id(), mine.key());
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.message()).isEqualTo("ACCOUNT_NOT_FOUND");
        assertThat(api.get("/api/accounts/NoSuchAccountxxxxxxxxx", ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void anOwnerKeyCreatesAndListsKeysOfItsAccount() {
        TestAccount account = newAccount(true);
        Response created = api.post("/api/accounts/" + account.id() + "/api-keys", account.key(),
                ApiClient.map("name", "Second", "role", "account-owner"));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.text("secret")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(created.text("createdBy")).isEqualTo("crn:" + account.id() + ":api-key:MyApiKey");

        Response viaNewKey = api.get("/api/accounts/" + account.id(), created.text("secret"));
        assertThat(viaNewKey.status()).isEqualTo(200);

        Response listed = api.get("/api/accounts/" + account.id() + "/api-keys", account.key());
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().size()).isEqualTo(2);
        assertThat(listed.body()).doesNotContain("secret").doesNotContain(created.text("secret"));
    }

    @Test
    void aDisabledKeyIsRefusedAtOnceAndListedWithWhoDisabledIt() {
        TestAccount account = newAccount(true);
        String leaked = api.post("/api/accounts/" + account.id() + "/api-keys", account.key(),
                ApiClient.map("name", "Leaked", "role", "account-owner")).text("secret");
        assertThat(api.get("/api/accounts/" + account.id(), leaked).status()).as("remembered by now").isEqualTo(200);

        Response disabled = api.post("/api/accounts/" + account.id() + "/api-keys/Leaked/disable", account.key(),
                null);

        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
        assertThat(disabled.text("disabledBy")).isEqualTo("crn:" + account.id() + ":api-key:MyApiKey");
        assertThat(disabled.text("disabledAt")).isNotBlank();
        assertThat(disabled.body()).doesNotContain("secret");
        Response refused = api.get("/api/accounts/" + account.id(), leaked);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.message()).isEqualTo("API_KEY_INVALID");
        assertThat(api.get("/api/accounts/" + account.id(), account.key()).status()).isEqualTo(200);
        Response listed = api.get("/api/accounts/" + account.id() + "/api-keys", ADMIN_KEY);
        assertThat(listed.json().get(1).get("name").asText()).isEqualTo("Leaked");
        assertThat(listed.json().get(1).get("enabled").asBoolean()).isFalse();
        assertThat(listed.json().get(0).has("disabledAt")).as("an enabled key").isFalse();
    }

    @Test
    void aKeyIsDisabledOnceAndItsNameIsNotTakenAgain() {
        TestAccount account = newAccount(true);
        String path = "/api/accounts/" + account.id() + "/api-keys";
        api.post(path, ADMIN_KEY, ApiClient.map("name", "Old", "role", "account-owner"));
        assertThat(api.post(path + "/Old/disable", ADMIN_KEY, null).text("disabledBy"))
                .isEqualTo("crn::api-key:admin");

        Response again = api.post(path + "/Old/disable", ADMIN_KEY, null);
        assertThat(again.status()).isEqualTo(403);
        assertThat(again.message()).isEqualTo("API_KEY_ALREADY_DISABLED");
        assertThat(api.post(path, ADMIN_KEY, ApiClient.map("name", "Old", "role", "account-owner")).message())
                .isEqualTo("API_KEY_ALREADY_EXISTS");
        Response unknown = api.post(path + "/NoSuchKey/disable", account.key(), null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).isEqualTo("API_KEY_NOT_FOUND");
    }

    @Test
    void aKeyMayDisableItself() {
        TestAccount account = newAccount(true);

        assertThat(api.post("/api/accounts/" + account.id() + "/api-keys/MyApiKey/disable", account.key(), null)
                .status()).isEqualTo(200);

        assertThat(api.get("/api/accounts/" + account.id(), account.key()).status()).isEqualTo(401);
    }

    @Test
    void keyNamesAreUniquePerAccount() {
        TestAccount account = newAccount(true);
        Response duplicate = api.post("/api/accounts/" + account.id() + "/api-keys", ADMIN_KEY,
                ApiClient.map("name", "MyApiKey", "role", "account-owner"));
        assertThat(duplicate.status()).isEqualTo(403);
        assertThat(duplicate.message()).isEqualTo("API_KEY_ALREADY_EXISTS");
    }

    @Test
    void keyCreationValidatesItsInput() {
        TestAccount account = newAccount(true);
        String path = "/api/accounts/" + account.id() + "/api-keys";
        assertThat(api.post(path, ADMIN_KEY, ApiClient.map("name", "k", "role", "superuser")).message())
                .isEqualTo("role must be account-owner");
        assertThat(api.post(path, ADMIN_KEY, ApiClient.map("role", "account-owner")).message())
                .isEqualTo("name is required");
        assertThat(api.post(path, ADMIN_KEY, ApiClient.map("name", "has space", "role", "account-owner")).status())
                .isEqualTo(400);
    }

    @Test
    void anotherAccountsKeyCannotManageKeys() {
        TestAccount mine = newAccount(true);
        TestAccount theirs = newAccount(true);
        String path = "/api/accounts/" + theirs.id() + "/api-keys";
        assertThat(api.post(path, mine.key(), ApiClient.map("name", "x", "role", "account-owner")).status())
                .isEqualTo(404);
        assertThat(api.get(path, mine.key()).status()).isEqualTo(404);
    }

    @Test
    void secretsAreStoredOnlyAsHashes() {
        TestAccount account = newAccount(true);
        List<String> stored = jdbc.sql("SELECT secret_hash FROM api_keys WHERE account_id = ?")
                .param(account.id()).query(String.class).list();
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0)).isNotEqualTo(account.key()).hasSize(64);
        Long plain = jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE secret_hash = ?")
                .param(account.key()).query(Long.class).single();
        assertThat(plain).isZero();
    }

    @Test
    void missingOrWrongKeysAreUnauthorized() {
        Response missing = api.get("/api/accounts/x", null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("statusCode").asInt()).isEqualTo(401);
        assertThat(missing.text("error")).isEqualTo("Unauthorized");
        assertThat(api.get("/api/accounts/x", "not-a-key").status()).isEqualTo(401);
    }

    @Test
    void errorsAreJsonWhateverTheClientAccepts() {
        Response response = api.send(api.request("/api/accounts/NoSuchAccountxxxxxxxxx", ADMIN_KEY)
                .header("accept", "text/html").GET().build());
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.message()).isEqualTo("ACCOUNT_NOT_FOUND");
    }

    @Test
    void unknownPathsAnswerInTheErrorFormat() {
        Response unknown = api.get("/api/no-such-thing", ADMIN_KEY);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).isEqualTo("NOT_FOUND");
        Response outside = api.get("/no-such-page", null);
        assertThat(outside.status()).isEqualTo(404);
        assertThat(outside.json().get("statusCode").asInt()).isEqualTo(404);
    }
}
