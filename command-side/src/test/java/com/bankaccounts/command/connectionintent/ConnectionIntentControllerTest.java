package com.bankaccounts.command.connectionintent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.connectionintent.CreateConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.FindConnectionIntentQuery;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.command.ControllerSliceTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/** Creating connection intents: request shapes, the type-dependent fields and error mapping (gateways mocked). */
@WebMvcTest(controllers = ConnectionIntentController.class, properties = "app.public-base-url=https://bank.example/")
class ConnectionIntentControllerTest extends ControllerSliceTest {

    @SpringBootConfiguration
    @Import({ControllerSliceTest.Platform.class, ConnectionIntentController.class})
    static class Slice {
    }

    private static final String PATH = "/api/bank-account-connection-intents";
    private static final String INFO = "account-information-consent";
    private static final String PAYMENT = "enduring-payment-consent";
    private static final String BANK_ACCOUNT = Ids.newId();
    private static final ConnectionIntentResponse RESPONSE = new ConnectionIntentResponse("CI1", ACCOUNT_ID, INFO,
            ConnectionIntentResponse.STATUS_CREATED, "2026-01-01T00:00:00.000Z", "crn:a", null, null,
            "https://bank.example/sandbox/consent?x=1", true, null, null, null, null, null, null, null, null);

    @MockitoBean
    ConnectionIntentRegistry registry;

    @MockitoBean
    ConnectionIntentAuthorizer authorizer;

    @BeforeEach
    void owner() {
        actAs(OWNER);
        readModelAnswers(ConnectionIntentResponse.class, RESPONSE);
    }

    private static Map<String, Object> intent(Object type, Object... more) {
        Map<String, Object> intent = new LinkedHashMap<>(map("accountId", ACCOUNT_ID, "type", type, "test", true));
        intent.putAll(map(more));
        return intent;
    }

    private CreateConnectionIntentCommand sentCreate() {
        CreateConnectionIntentCommand command = sentCommand(CreateConnectionIntentCommand.class);
        assertThat(Ids.isWellFormed(command.connectionIntentId())).isTrue();
        verifyQueried(new FindConnectionIntentQuery(command.connectionIntentId()), ConnectionIntentResponse.class);
        return command;
    }

    /** Only the redirect's own parameter names are refused, not values or names that merely contain them. */
    @Test
    void aRedirectUriMayCarryParametersOfItsOwn() throws Exception {
        postJson(PATH, intent(INFO, "redirectUri", "https://client.example/cb?x=state&codes=1&state_of=2;y=code"))
                .andExpect(body(RESPONSE));
        assertThat(sentCreate().redirectUri()).isEqualTo("https://client.example/cb?x=state&codes=1&state_of=2;y=code");
    }

    @Test
    void anAccountInformationIntentSendsOneCommandAndAnswersTheReadModel() throws Exception {
        postJson(PATH, intent(INFO, "redirectUri", "https://client.example/cb?x=1")).andExpect(body(RESPONSE));
        CreateConnectionIntentCommand command = sentCreate();
        assertThat(command).isEqualTo(new CreateConnectionIntentCommand(command.connectionIntentId(), ACCOUNT_ID,
                ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, INFO, false, true, null, null,
                "https://client.example/cb?x=1", "https://bank.example"));
    }

    @Test
    void aPaymentIntentCarriesItsTermsWithTheDailyPeriodByDefault() throws Exception {
        postJson(PATH, intent("quartz-payment", "bankAccountId", BANK_ACCOUNT, "name", " Rent ",
                "totalAmount", "120000")).andExpect(body(RESPONSE));
        CreateConnectionIntentCommand command = sentCreate();
        assertThat(command).isEqualTo(new CreateConnectionIntentCommand(command.connectionIntentId(), ACCOUNT_ID,
                ConnectionIntentType.ENDURING_PAYMENT_CONSENT, "quartz-payment", false, true, BANK_ACCOUNT,
                new PaymentConsentTerms("Rent", ConsentPeriod.DAILY, 120_000L), null, "https://bank.example"));
    }

    @Test
    void eachPeriodIsAcceptedByItsName() throws Exception {
        for (ConsentPeriod period : ConsentPeriod.values()) {
            postJson(PATH, intent(PAYMENT, "bankAccountId", BANK_ACCOUNT, "period", period.value()))
                    .andExpect(body(RESPONSE));
            assertThat(sentCreate().paymentTerms()).isEqualTo(new PaymentConsentTerms(null, period, null));
            clearInvocations(commands, queries);
        }
    }

    @Test
    void missingOrBlankFieldsAreNamed() throws Exception {
        Map<String, Object> noAccount = intent(INFO);
        noAccount.remove("accountId");
        postJson(PATH, noAccount).andExpect(refused(400, "accountId is required"));
        postJson(PATH, map("accountId", ACCOUNT_ID)).andExpect(refused(400, "type is required"));
        postJson(PATH, intent("")).andExpect(refused(400, "type is required"));
        postJson(PATH, intent(null)).andExpect(refused(400, "type is required"));
        verifyNoInteractions(commands, queries);
    }

    @Test
    void fieldsThatDoNotFitTheTypeAreRefused() throws Exception {
        Map<Map<String, Object>, String> cases = new LinkedHashMap<>();
        String types = "type must be account-information-consent or enduring-payment-consent";
        for (String type : List.of("quartz-details", "ACCOUNT-INFORMATION-CONSENT", "payment-consent")) {
            cases.put(intent(type), types);
        }
        cases.put(intent(PAYMENT), "bankAccountId is required for a payment consent");
        cases.put(intent(INFO, "bankAccountId", BANK_ACCOUNT), "bankAccountId is only for a payment consent");
        String onlyPayment = "name, period, totalAmount and expiresAt are only for enduring-payment-consent";
        cases.put(intent(INFO, "name", "Rent"), onlyPayment);
        cases.put(intent(INFO, "expiresAt", "2999-01-01T00:00:00Z"), onlyPayment);
        for (String expiresAt : List.of("tomorrow", "2999-01-01", "2999-01-01T00:00:00", "")) {
            cases.put(intent(PAYMENT, "bankAccountId", BANK_ACCOUNT, "expiresAt", expiresAt),
                    "expiresAt must be an ISO-8601 timestamp such as 2027-01-31T00:00:00Z");
        }
        cases.put(intent(PAYMENT, "bankAccountId", BANK_ACCOUNT, "expiresAt", "2020-01-01T00:00:00Z"),
                "expiresAt must be in the future");
        cases.put(intent("quartz-accounts", "period", "weekly"), onlyPayment);
        cases.put(intent(INFO, "totalAmount", "100"), onlyPayment);
        for (String period : List.of("hourly", "Daily", "", " weekly")) {
            cases.put(intent(PAYMENT, "bankAccountId", BANK_ACCOUNT, "period", period),
                    "period must be daily, weekly, fortnightly, monthly or yearly");
        }
        for (String amount : List.of("0", "-1", "1.5", "abc", "", "0100", "1000000000000", " 100")) {
            cases.put(intent(PAYMENT, "bankAccountId", BANK_ACCOUNT, "totalAmount", amount),
                    "totalAmount must be a positive number of cents, at most 12 digits");
        }
        for (String redirectUri : List.of("not a url", "ftp://x", "javascript:alert(1)", "/relative/path",
                "https://client.example/cb#fragment", "https:///no-host", "", "http://client.example/cb",
                "https://user:secret@client.example/cb", "data:text/html,x")) {
            cases.put(intent(INFO, "redirectUri", redirectUri), ConnectionIntentController.REDIRECT_URI_RULE);
        }
        for (String redirectUri : List.of("https://client.example/cb?state=zzz", "https://client.example/cb?x=1&code",
                "https://client.example/cb?%65rror=x", "http://localhost:3000/cb?a=b&state=",
                "https://client.example/cb?x=1;state=zzz", "https://client.example/cb?State=zzz",
                "https://client.example/cb?iss=https://bank.example")) {
            cases.put(intent(INFO, "redirectUri", redirectUri), ConnectionIntentController.REDIRECT_URI_PARAMETERS);
        }
        for (String redirectUri : List.of("https://client.example:99999/cb", "https://client.example:0/cb",
                "http://localhost:65536/cb")) {
            cases.put(intent(INFO, "redirectUri", redirectUri), ConnectionIntentController.REDIRECT_URI_PORT);
        }
        for (String redirectUri : List.of("http://127.0.0.1:3000/cb-\u00fc", "https://client.example/cb?n=\u00e9")) {
            cases.put(intent(INFO, "redirectUri", redirectUri), ConnectionIntentController.REDIRECT_URI_ASCII);
        }
        for (String blank : List.of("", "   ")) {
            cases.put(intent(PAYMENT, "bankAccountId", blank), "bankAccountId must not be blank");
        }
        for (Map.Entry<Map<String, Object>, String> entry : cases.entrySet()) {
            postJson(PATH, entry.getKey()).andExpect(refused(400, entry.getValue()));
        }
        verifyNoInteractions(commands, queries);
    }

    @Test
    void wrongTypesAndBrokenJsonAreRefused() throws Exception {
        for (String field : List.of("accountId", "type", "test", "name", "period", "totalAmount")) {
            Map<String, Object> wrong = intent(PAYMENT, "bankAccountId", BANK_ACCOUNT);
            wrong.put(field, field.equals("test") ? "true" : 12);
            postJson(PATH, wrong).andExpect(refused(400,
                    field + (field.equals("test") ? " must be true or false" : " must be a JSON string")));
        }
        postJson(PATH, intent(PAYMENT, "bankAccountId", BANK_ACCOUNT, "name", "x".repeat(201)))
                .andExpect(refusedAbout(400, "name"));
        postJson(PATH, intent(INFO, "redirectUri", "https://client.example/" + "x".repeat(2000)))
                .andExpect(refusedAbout(400, "redirectUri"));
        postJson(PATH, "{\"accountId\": \"" + ACCOUNT_ID + "\", \"type\": ")
                .andExpect(refused(400, "request body is not valid JSON"));
        postJson(PATH, "").andExpect(refused(400, "request body is required"));
        mvc.perform(post(PATH).contentType(MediaType.TEXT_PLAIN).content("accountId=" + ACCOUNT_ID))
                .andExpect(refused(415, "content type must be application/json or application/*+json"));
        verifyNoInteractions(commands, queries);
    }

    @Test
    void anotherAccountIsNotFoundAndTheAggregatesRefusalsAnswerTheirCodes() throws Exception {
        postJson(PATH, map("accountId", "acc_other", "type", INFO)).andExpect(refused(404, "ACCOUNT_NOT_FOUND"));
        verifyNoInteractions(commands);

        willThrow(new BusinessRuleException(ErrorCode.LIVENESS_MISMATCH)).given(commands).sendAndWait(any());
        postJson(PATH, intent(INFO)).andExpect(refused(403, "LIVENESS_MISMATCH"));
        willThrow(new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND)).given(commands).sendAndWait(any());
        postJson(PATH, intent(PAYMENT, "bankAccountId", BANK_ACCOUNT)).andExpect(refused(404, "BANK_ACCOUNT_NOT_FOUND"));
        verifyNoInteractions(queries);
    }

    @Test
    void aBankAccountRequestIsTheOlderFaceWithoutTestFlagOrTerms() throws Exception {
        postJson("/api/bank-account-requests", map("accountId", ACCOUNT_ID, "type", "quartz-details",
                "redirectUri", "http://localhost:3000/cb")).andExpect(body(RESPONSE));
        CreateConnectionIntentCommand command = sentCreate();
        assertThat(command).isEqualTo(new CreateConnectionIntentCommand(command.connectionIntentId(), ACCOUNT_ID,
                ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT, "quartz-details", true, null, null, null,
                "http://localhost:3000/cb", "https://bank.example"));
    }

    @Test
    void aRedirectUrisSchemeIsCaseInsensitive() throws Exception {
        postJson(PATH, intent(INFO, "redirectUri", "HTTPS://client.example/cb")).andExpect(body(RESPONSE));
        assertThat(sentCreate().redirectUri()).isEqualTo("HTTPS://client.example/cb");
    }

    @Test
    void aBankAccountRequestHasItsOwnTypes() throws Exception {
        String path = "/api/bank-account-requests";
        postJson(path, map("accountId", ACCOUNT_ID, "type", INFO))
                .andExpect(refused(400, "type must be quartz-details or quartz-payment"));
        postJson(path, map("accountId", ACCOUNT_ID, "type", "quartz-payment"))
                .andExpect(refused(400, "bankAccountId is required for a payment consent"));
        postJson(path, map("accountId", ACCOUNT_ID)).andExpect(refused(400, "type is required"));
        postJson(path, map("type", "quartz-details")).andExpect(refused(400, "accountId is required"));
        verifyNoInteractions(commands, queries);
    }
}
