package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class BankAccountsApiTest extends ApiTestSupport {

    @Test
    void createsWithoutDirectDebitAuthority() {
        TestAccount account = newAccount(true);
        Response created = createBankAccount(account, "12-1234-1234567-123");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode body = created.json();
        assertThat(body.get("id").asString()).hasSize(22);
        assertThat(body.get("accountId").asString()).isEqualTo(account.id());
        assertThat(body.get("bankAccountNumber").asString()).isEqualTo("12-1234-1234567-123");
        assertThat(body.get("bankAccountName").asString()).isEqualTo("John Doe");
        assertThat(body.get("directDebitAuthorized").asBoolean()).isFalse();
        assertThat(body.get("status").asString()).isEqualTo("created");
        assertThat(body.get("verified").asBoolean()).isFalse();
        assertThat(body.get("createdAt").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(body.get("createdBy").asString()).isEqualTo("crn:" + account.id() + ":api-key:MyApiKey");
        assertThat(body.get("modifiedAt").asString()).isEqualTo(body.get("createdAt").asString());
        assertThat(body.get("modifiedBy").asString()).isEqualTo(body.get("createdBy").asString());
    }

    /** Limits count characters, as PostgreSQL does: 200 emoji are 400 UTF-16 units and still 200 characters. */
    @Test
    void aNameIsMeasuredInCharactersNotUtf16Units() {
        TestAccount account = newAccount(true);
        String emoji = "\uD83C\uDFE6";
        Response created = api.post("/api/bank-accounts", account.key(),
                ApiClient.map("bankAccountNumber", uniqueTestNumber(), "bankAccountName", emoji.repeat(200)));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.text("bankAccountName")).isEqualTo(emoji.repeat(200));
        assertThat(api.get("/api/bank-accounts/" + created.text("id"), account.key()).text("bankAccountName"))
                .isEqualTo(emoji.repeat(200));

        Response refused = api.post("/api/bank-accounts", account.key(),
                ApiClient.map("bankAccountNumber", uniqueTestNumber(), "bankAccountName", emoji.repeat(201)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.message()).isEqualTo("bankAccountName must be at most 200 characters long");
    }

    /**
     * A name loses the white space at its ends that makes a name blank (ideographic space, line separator), and
     * nothing else: a no-break space counts as text.
     */
    @Test
    void aNameLosesTheWhiteSpaceThatWouldMakeItBlankAndNothingElse() {
        TestAccount account = newAccount(true);
        Response spaced = api.post("/api/bank-accounts", account.key(), ApiClient.map("bankAccountNumber",
                uniqueTestNumber(), "bankAccountName", "\u3000\u2028 Jo Doe\u00a0\u3000"));
        assertThat(spaced.status()).as(spaced.toString()).isEqualTo(200);
        assertThat(spaced.text("bankAccountName")).isEqualTo("Jo Doe\u00a0");
        // Right-to-left text as a formatter wraps it (an embedding, an isolate, a mark): no override, so taken.
        Response hebrew = api.post("/api/bank-accounts", account.key(), ApiClient.map("bankAccountNumber",
                uniqueTestNumber(), "bankAccountName",
                "\u202B\u05D3\u05E0\u05D4\u202C \u2067\u05DB\u05D4\u05DF\u2069\u200F"));
        assertThat(hebrew.status()).as(hebrew.toString()).isEqualTo(200);
    }

    @Test
    void createsWithDirectDebitAuthority() {
        TestAccount account = newAccount(true);
        Response created = createBankAccountWithAuthority(account, uniqueTestNumber());
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.json().get("directDebitAuthorized").asBoolean()).isTrue();
        assertThat(created.json().get("status").asString()).isEqualTo("created");
    }

    /** The spec's table lists the authority's fields beside the bank account's; its example nests them. */
    @Test
    void createsWithDirectDebitAuthorityFieldsBesideTheBankAccountsToo() {
        TestAccount account = newAccount(true);
        Response created = api.post("/api/bank-accounts", account.key(), ApiClient.map(
                "bankAccountNumber", uniqueTestNumber(), "bankAccountName", "John Doe",
                "phoneNumber", "+64212345678", "fullName", "John Doe", "emailAddress", "john.doe@gmail.com"));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.json().get("directDebitAuthorized").asBoolean()).isTrue();

        long events = eventCount();
        assertRefused(api.post("/api/bank-accounts", account.key(), ApiClient.map(
                        "bankAccountNumber", uniqueTestNumber(), "bankAccountName", "John Doe",
                        "phoneNumber", "+64212345678")), 400,
                "phoneNumber, fullName and emailAddress are required together: fullName, emailAddress are missing");
        assertRefused(api.post("/api/bank-accounts", account.key(), ApiClient.map(
                        "bankAccountNumber", uniqueTestNumber(), "bankAccountName", "John Doe",
                        "phoneNumber", "+64212345678", "fullName", "John Doe", "emailAddress", "john.doe@gmail.com",
                        "directDebitAuthority", ApiClient.map("phoneNumber", "+64212345678", "fullName", "John Doe",
                                "emailAddress", "john.doe@gmail.com"))), 400,
                "phoneNumber, fullName and emailAddress go either in directDebitAuthority or beside "
                        + "bankAccountNumber, not both");
        Response badPhone = api.post("/api/bank-accounts", account.key(), ApiClient.map(
                "bankAccountNumber", uniqueTestNumber(), "bankAccountName", "John Doe",
                "phoneNumber", "021 234 5678", "fullName", "John Doe", "emailAddress", "john.doe@gmail.com"));
        assertThat(badPhone.status()).as(badPhone.toString()).isEqualTo(400);
        assertThat(badPhone.message()).contains("phoneNumber");
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void aGetOrListRightAfterTheCreateSeesIt() {
        TestAccount account = newAccount(true);
        Response created = createBankAccountWithAuthority(account, uniqueTestNumber());
        Response read = api.get("/api/bank-accounts/" + created.text("id"), account.key());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(created.json());

        Response listed = api.get("/api/accounts/" + account.id() + "/bank-accounts", account.key());
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().isArray()).isTrue();
        assertThat(listed.json().size()).isEqualTo(1);
        assertThat(listed.json().get(0)).isEqualTo(created.json());
    }

    @Test
    void listsInCreationOrder() {
        TestAccount account = newAccount(true);
        String first = createBankAccount(account, uniqueTestNumber()).text("id");
        String second = createBankAccount(account, uniqueTestNumber()).text("id");
        JsonNode listed = api.get("/api/accounts/" + account.id() + "/bank-accounts", account.key()).json();
        assertThat(listed.size()).isEqualTo(2);
        assertThat(listed.get(0).get("id").asString()).isEqualTo(first);
        assertThat(listed.get(1).get("id").asString()).isEqualTo(second);
    }

    @Test
    void acceptsNumbersWithoutDashesAndReturnsTheCanonicalForm() {
        TestAccount account = newAccount(false);
        Response created = createBankAccount(account, "010902006838900");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.text("bankAccountNumber")).isEqualTo("01-0902-0068389-000");
        assertThat(created.json().has("test")).isFalse();
    }

    @Test
    void liveAccountsNeedValidCheckDigits() {
        TestAccount live = newAccount(false);
        for (String valid : List.of("01-0902-0068389-000", "08-6523-1954512-001", "26-2600-0320871-032")) {
            assertThat(createBankAccount(live, valid).status()).as(valid).isEqualTo(200);
        }
        for (String invalid : List.of("12-1234-1234567-123", "00-1213-1231299-999", "01-0902-0068388-000")) {
            Response refused = createBankAccount(live, invalid);
            assertThat(refused.status()).as(invalid).isEqualTo(400);
            assertThat(refused.message()).isEqualTo("bankAccountNumber is not a valid New Zealand bank account number");
        }
    }

    @Test
    void testAccountsNeedOnlyTheFormat() {
        TestAccount test = newAccount(true);
        Response created = createBankAccount(test, "00-1213-1231299-999");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().get("test").asBoolean()).isTrue();
        Response malformed = createBankAccount(test, "12-1234-123");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.message()).startsWith("bankAccountNumber must be a New Zealand bank account number");
    }

    @Test
    void refusesASecondCopyOfANumberInOneAccount() {
        TestAccount account = newAccount(true);
        String number = uniqueTestNumber();
        assertThat(createBankAccount(account, number).status()).isEqualTo(200);
        Response duplicate = createBankAccount(account, number.replace("-", ""));
        assertThat(duplicate.status()).isEqualTo(403);
        assertThat(duplicate.json()).isEqualTo(ApiClient.JSON.readTree(
                "{\"statusCode\":403,\"error\":\"Forbidden\",\"message\":\"DUPLICATE_BANK_ACCOUNT\"}"));
    }

    @Test
    void refusesTheEleventhBankAccountOfAnAccount() {
        TestAccount account = newAccount(true);
        for (int i = 0; i < 10; i++) {
            assertThat(createBankAccount(account, uniqueTestNumber()).status()).isEqualTo(200);
        }
        Response refused = createBankAccount(account, uniqueTestNumber());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.message()).isEqualTo("BANK_ACCOUNT_LIMIT_EXCEEDED");
    }

    @Test
    void refusesAThirdHolderOfANumber() {
        String number = uniqueTestNumber();
        assertThat(createBankAccount(newAccount(true), number).status()).isEqualTo(200);
        assertThat(createBankAccount(newAccount(true), number).status()).isEqualTo(200);
        Response refused = createBankAccount(newAccount(true), number);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.message()).isEqualTo("BANK_ACCOUNT_HOLDER_LIMIT_EXCEEDED");
    }

    @Test
    void addsADirectDebitAuthorityOnce() {
        TestAccount account = newAccount(true);
        Response created = createBankAccount(account, uniqueTestNumber());
        String path = "/api/bank-accounts/" + created.text("id") + "/direct-debit-authorities";
        Response authorized = api.post(path, account.key(), authority());
        assertThat(authorized.status()).as(authorized.toString()).isEqualTo(200);
        assertThat(authorized.json().get("directDebitAuthorized").asBoolean()).isTrue();
        assertThat(authorized.text("createdAt")).isEqualTo(created.text("createdAt"));
        assertThat(api.get("/api/bank-accounts/" + created.text("id"), account.key()).json())
                .isEqualTo(authorized.json());

        Response again = api.post(path, account.key(), authority());
        assertThat(again.status()).isEqualTo(403);
        assertThat(again.message()).isEqualTo("DIRECT_DEBIT_ALREADY_AUTHORIZED");
    }

    @Test
    void wrongVerificationCodesCountUntilTheLimit() {
        TestAccount account = newAccount(true);
        Response created = createBankAccountWithAuthority(account, uniqueTestNumber());
        assertThat(created.json().get("verificationAttemptsRemaining").asInt()).isEqualTo(3);
        String id = created.text("id");
        String path = "/api/bank-accounts/" + id + "/verify";
        for (int i = 0; i < 3; i++) {
            Response wrong = api.post(path, account.key(), ApiClient.map("verificationCode", "0000"));
            assertThat(wrong.status()).isEqualTo(403);
            assertThat(wrong.message()).isEqualTo("VERIFICATION_CODE_INVALID");
            Response after = api.get("/api/bank-accounts/" + id, account.key());
            assertThat(after.json().get("verificationAttemptsRemaining").asInt()).isEqualTo(2 - i);
            assertThat(after.json().get("verified").asBoolean()).isFalse();
        }
        Response exceeded = api.post(path, account.key(), ApiClient.map("verificationCode", "0000"));
        assertThat(exceeded.status()).isEqualTo(403);
        assertThat(exceeded.message()).isEqualTo("BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED");
        Long failures = jdbc.sql("""
                        SELECT COUNT(*) FROM domain_event_entry
                        WHERE aggregate_identifier = ? AND payload_type LIKE '%BankAccountVerificationFailedEvent'""")
                .param(id).query(Long.class).single();
        assertThat(failures).isEqualTo(3);
    }

    @Test
    void unknownBankAccountsAnswer404() {
        TestAccount account = newAccount(true);
        assertThat(api.get("/api/bank-accounts/WRhAxxWpTKb5U7pXyxQjjY", account.key()).message())
                .isEqualTo("BANK_ACCOUNT_NOT_FOUND");
        assertThat(api.post("/api/bank-accounts/WRhAxxWpTKb5U7pXyxQjjY/verify", account.key(),
                ApiClient.map("verificationCode", "1111")).message()).isEqualTo("BANK_ACCOUNT_NOT_FOUND");
        assertThat(api.post("/api/bank-accounts/nonsense/direct-debit-authorities", account.key(), authority())
                .status()).isEqualTo(404);
    }

    @Test
    void badInputAnswers400AndStoresNothing() {
        TestAccount account = newAccount(true);
        long events = eventCount();
        List<Object> bodies = List.of(
                ApiClient.map("bankAccountName", "John Doe"),
                ApiClient.map("bankAccountNumber", uniqueTestNumber()),
                ApiClient.map("bankAccountNumber", "", "bankAccountName", "John Doe"),
                ApiClient.map("bankAccountNumber", uniqueTestNumber(), "bankAccountName", "   "),
                ApiClient.map("bankAccountNumber", 12123412345671L, "bankAccountName", "John Doe"),
                ApiClient.map("bankAccountNumber", uniqueTestNumber(), "bankAccountName", true),
                ApiClient.map("bankAccountNumber", List.of("x"), "bankAccountName", "John Doe"),
                ApiClient.map("bankAccountNumber", "not a number", "bankAccountName", "John Doe"),
                ApiClient.map("bankAccountNumber", "12-1234-12345678-123", "bankAccountName", "John Doe"),
                ApiClient.map("bankAccountNumber", uniqueTestNumber(), "bankAccountName", "John Doe",
                        "directDebitAuthority", ApiClient.map("phoneNumber", "+64212345678")),
                ApiClient.map("bankAccountNumber", uniqueTestNumber(), "bankAccountName", "John Doe",
                        "directDebitAuthority", ApiClient.map("phoneNumber", "021 234 5678", "fullName", "John Doe",
                                "emailAddress", "john.doe@gmail.com")),
                ApiClient.map("bankAccountNumber", uniqueTestNumber(), "bankAccountName", "John Doe",
                        "directDebitAuthority", ApiClient.map("phoneNumber", "+64212345678", "fullName", "John Doe",
                                "emailAddress", "not-an-email")),
                ApiClient.map("bankAccountNumber", uniqueTestNumber(), "bankAccountName", "John Doe",
                        "directDebitAuthority", ApiClient.map("phoneNumber", "+64212345678", "fullName", " ",
                                "emailAddress", "john.doe@gmail.com")),
                ApiClient.map("bankAccountNumber", uniqueTestNumber(), "bankAccountName", "John Doe",
                        "directDebitAuthority", "yes"),
                "{\"bankAccountNumber\": \"12-1234-1234567-123\",",
                "[]",
                "null",
                "");
        for (Object body : bodies) {
            Response refused = api.post("/api/bank-accounts", account.key(), body);
            assertThat(refused.status()).as(String.valueOf(body)).isEqualTo(400);
            assertThat(refused.json().get("statusCode").asInt()).isEqualTo(400);
            assertThat(refused.text("error")).isEqualTo("Bad Request");
            assertThat(refused.message()).isNotBlank();
        }
        assertThat(api.post("/api/bank-accounts", account.key(), ApiClient.map("bankAccountName", "John Doe"))
                .message()).isEqualTo("bankAccountNumber is required");
        // U+3000 is white space to @NotBlank, so to an optional field's "not blank" as well.
        for (String blank : List.of("", "\u3000", " \u2028\u001c")) {
            assertRefused(api.post("/api/bank-accounts", account.key(), ApiClient.map("accountId", blank,
                    "bankAccountNumber", uniqueTestNumber(), "bankAccountName", "John Doe")), 400,
                    "accountId must not be blank");
        }
        for (String notAnObject : List.of("[]", "\"x\"", "5")) {
            assertRefused(api.post("/api/bank-accounts", account.key(), notAnObject), 400,
                    "request body must be a JSON object");
        }
        // A line break, an escape sequence or a bidirectional override in a name, which bank files, exports and
        // screens would carry on: before, all were stored.
        for (String name : List.of("a\nb", "Evil\u001b[31mRED\u0007", "x\u0085y", "x\u202Egnp.exe")) {
            assertRefused(api.post("/api/bank-accounts", account.key(), ApiClient.map("bankAccountNumber",
                    uniqueTestNumber(), "bankAccountName", name)), 400,
                    "bankAccountName must not contain control characters or bidirectional overrides");
            assertRefused(api.post("/api/bank-accounts", account.key(), ApiClient.map("bankAccountNumber",
                    uniqueTestNumber(), "bankAccountName", "John Doe", "directDebitAuthority", ApiClient.map(
                            "phoneNumber", "+64212345678", "fullName", name, "emailAddress", "john.doe@gmail.com"))),
                    400, "directDebitAuthority.fullName must not contain control characters or bidirectional "
                            + "overrides");
            assertRefused(api.post("/api/accounts", ADMIN_KEY, ApiClient.map("name", name, "test", true)), 400,
                    "name must not contain control characters or bidirectional overrides");
        }
        for (String notJson : List.of("{\"bankAccountNumber\": \"12-1234\",", "{}{}", "{} 1")) {
            assertRefused(api.post("/api/bank-accounts", account.key(), notJson), 400, "request body is not valid JSON");
        }
        assertThat(eventCount()).isEqualTo(events);
        assertThat(api.get("/api/accounts/" + account.id() + "/bank-accounts", account.key()).json().size())
                .isZero();
    }

    @Test
    void badInputOnTheOtherEndpointsAnswers400() {
        TestAccount account = newAccount(true);
        String id = createBankAccount(account, uniqueTestNumber()).text("id");
        long events = eventCount();
        String authorityPath = "/api/bank-accounts/" + id + "/direct-debit-authorities";
        assertThat(api.post(authorityPath, account.key(), ApiClient.map("phoneNumber", "+64212345678")).status())
                .isEqualTo(400);
        assertThat(api.post(authorityPath, account.key(), "{oops").status()).isEqualTo(400);
        String verifyPath = "/api/bank-accounts/" + id + "/verify";
        assertThat(api.post(verifyPath, account.key(), ApiClient.map()).message())
                .isEqualTo("verificationCode is required");
        assertThat(api.post(verifyPath, account.key(), ApiClient.map("verificationCode", 1111)).status())
                .isEqualTo(400);
        assertThat(eventCount()).isEqualTo(events);
    }

    /** The statement's whole reference pasted, or a code of another length, costs none of the few attempts. */
    @Test
    void aCodeThatIsNotFourDigitsIsBadInputAndNoAttempt() {
        TestAccount account = newAccount(true);
        String id = createBankAccount(account, uniqueTestNumber()).text("id");
        long events = eventCount();

        for (String code : List.of("CENTRAPAY 1234", "123", "12345", "12a4", " 1234")) {
            Response refused = api.post("/api/bank-accounts/" + id + "/verify", account.key(),
                    ApiClient.map("verificationCode", code));
            assertThat(refused.status()).as(code).isEqualTo(400);
            assertThat(refused.message()).isEqualTo(
                    "verificationCode must be the 4 digits of the statement's reference (CENTRAPAY 1234: 1234)");
        }

        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void aNulCharacterIsBadInputAndStoresNothing() {
        TestAccount account = newAccount(true);
        long events = eventCount();
        Response refused = api.post("/api/bank-accounts", account.key(),
                "{\"bankAccountNumber\":\"" + uniqueTestNumber() + "\",\"bankAccountName\":\"Jo\\u0000hn\"}");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.message()).isEqualTo("bankAccountName has the wrong type or format");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(api.get("/api/bank-authorities?accountId=%00", ADMIN_KEY).status()).isEqualTo(400);
    }

    @Test
    void testHoldersDoNotUseUpALiveNumber() {
        String number = "31-2848-0000001-000";
        assertThat(createBankAccount(newAccount(true), number).status()).isEqualTo(200);
        assertThat(createBankAccount(newAccount(true), number).status()).isEqualTo(200);
        assertThat(createBankAccount(newAccount(true), number).message())
                .isEqualTo("BANK_ACCOUNT_HOLDER_LIMIT_EXCEEDED");
        assertThat(createBankAccount(newAccount(false), number).status()).isEqualTo(200);
    }

    @Test
    void bodiesOverOneMegabyteAnswer413() {
        TestAccount account = newAccount(true);
        String huge = "{\"bankAccountNumber\":\"" + uniqueTestNumber() + "\",\"bankAccountName\":\""
                + "x".repeat(1_100_000) + "\"}";
        Response refused = api.post("/api/bank-accounts", account.key(), huge);
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().get("statusCode").asInt()).isEqualTo(413);
    }

    @Test
    void otherContentTypesAnswer415() {
        TestAccount account = newAccount(true);
        Response refused = api.postRaw("/api/bank-accounts", account.key(), "text/plain", "hello");
        assertThat(refused.status()).isEqualTo(415);
        assertThat(refused.json().get("statusCode").asInt()).isEqualTo(415);
    }
}
