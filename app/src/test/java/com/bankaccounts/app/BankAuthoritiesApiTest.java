package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deprecated bank authority endpoints: views of the same bank accounts. */
class BankAuthoritiesApiTest extends ApiTestSupport {

    private Map<String, Object> authorityBody(TestAccount account, String number) {
        return ApiClient.map("fullName", "John Doe", "accountId", account.id(), "phoneNumber", "+64212345",
                "directDebitAuthorized", true, "emailAddress", "John.doe@email.com",
                "bankAccountNumber", number, "bankAccountName", "John Doe");
    }

    @Test
    void createsABankAccountWithItsDirectDebitAuthority() {
        TestAccount account = newAccount(true);
        Response created = api.post("/api/bank-authorities", account.key(), authorityBody(account, uniqueTestNumber()));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.json().get("directDebitAuthorized").asBoolean()).isTrue();
        assertThat(created.text("status")).isEqualTo("created");
        assertThat(created.text("accountId")).isEqualTo(account.id());

        Response asAuthority = api.get("/api/bank-authorities/" + created.text("id"), account.key());
        assertThat(asAuthority.json()).isEqualTo(created.json());
        Response asBankAccount = api.get("/api/bank-accounts/" + created.text("id"), account.key());
        assertThat(asBankAccount.json()).isEqualTo(created.json());
        Response listed = api.get("/api/bank-authorities", account.key());
        assertThat(listed.json().size()).isEqualTo(1);
        assertThat(listed.json().get(0)).isEqualTo(created.json());
    }

    @Test
    void everyFieldIsRequired() {
        TestAccount account = newAccount(true);
        long events = eventCount();
        for (String field : new String[]{"fullName", "accountId", "phoneNumber", "emailAddress", "bankAccountNumber",
                "bankAccountName"}) {
            Map<String, Object> body = authorityBody(account, uniqueTestNumber());
            body.remove(field);
            Response refused = api.post("/api/bank-authorities", account.key(), body);
            assertThat(refused.status()).as(field).isEqualTo(400);
            assertThat(refused.message()).isEqualTo(field + " is required");
        }
        Map<String, Object> notAuthorized = authorityBody(account, uniqueTestNumber());
        notAuthorized.put("directDebitAuthorized", false);
        assertThat(api.post("/api/bank-authorities", account.key(), notAuthorized).status()).isEqualTo(400);
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void hasItsOwnLimitCodes() {
        TestAccount account = newAccount(true);
        for (int i = 0; i < 10; i++) {
            assertThat(api.post("/api/bank-authorities", account.key(), authorityBody(account, uniqueTestNumber()))
                    .status()).isEqualTo(200);
        }
        Response limit = api.post("/api/bank-authorities", account.key(), authorityBody(account, uniqueTestNumber()));
        assertThat(limit.status()).isEqualTo(403);
        assertThat(limit.message()).isEqualTo("BANK_AUTHORITY_LIMIT_EXCEEDED");

        String number = uniqueTestNumber();
        TestAccount first = newAccount(true);
        TestAccount second = newAccount(true);
        TestAccount third = newAccount(true);
        assertThat(api.post("/api/bank-authorities", first.key(), authorityBody(first, number)).status()).isEqualTo(200);
        assertThat(api.post("/api/bank-authorities", second.key(), authorityBody(second, number)).status())
                .isEqualTo(200);
        Response holders = api.post("/api/bank-authorities", third.key(), authorityBody(third, number));
        assertThat(holders.status()).isEqualTo(403);
        assertThat(holders.message()).isEqualTo("BANK_AUTHORITIES_FOR_BANK_ACCOUNT_EXCEEDED");
    }

    @Test
    void verifiesLikeABankAccount() {
        TestAccount account = newAccount(true);
        String id = api.post("/api/bank-authorities", account.key(), authorityBody(account, uniqueTestNumber()))
                .text("id");
        Response wrong = api.post("/api/bank-authorities/" + id + "/verify", account.key(),
                ApiClient.map("verificationCode", "9999"));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.message()).isEqualTo("VERIFICATION_CODE_INVALID");
        assertThat(api.post("/api/bank-authorities/" + id + "/verify", account.key(), ApiClient.map()).status())
                .isEqualTo(400);
    }

    @Test
    void theAdminListsAnAccountsAuthoritiesByName() {
        TestAccount account = newAccount(true);
        api.post("/api/bank-authorities", account.key(), authorityBody(account, uniqueTestNumber()));
        assertThat(api.get("/api/bank-authorities?accountId=" + account.id(), ADMIN_KEY).json().size()).isEqualTo(1);
        assertThat(api.get("/api/bank-authorities", ADMIN_KEY).status()).isEqualTo(400);
    }

    @Test
    void unknownAuthoritiesAnswer404() {
        TestAccount account = newAccount(true);
        Response unknown = api.get("/api/bank-authorities/WRhAxxWpTKb5U7pXyxQjjY", account.key());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).isEqualTo("BANK_AUTHORITY_NOT_FOUND");
    }
}
