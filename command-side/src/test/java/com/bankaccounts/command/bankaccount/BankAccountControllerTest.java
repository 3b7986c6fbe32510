package com.bankaccounts.command.bankaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;

import com.bankaccounts.api.bankaccount.AuthorizeDirectDebitCommand;
import com.bankaccounts.api.bankaccount.BankAccountFace;
import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.bankaccount.CreateBankAccountCommand;
import com.bankaccounts.api.bankaccount.DirectDebitAuthority;
import com.bankaccounts.api.bankaccount.FindBankAccountQuery;
import com.bankaccounts.api.bankaccount.VerifyBankAccountCommand;
import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.RecordedRefusalException;
import com.bankaccounts.command.ControllerSliceTest;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/** The bank account endpoints' request shapes and error mapping (no database: gateways and registry mocked). */
@WebMvcTest(controllers = BankAccountController.class)
class BankAccountControllerTest extends ControllerSliceTest {

    @SpringBootConfiguration
    @Import({ControllerSliceTest.Platform.class, BankAccountController.class})
    static class Slice {
    }

    private static final String PATH = "/api/bank-accounts";
    private static final String NUMBER = "12-3456-7890123-00";
    private static final BankAccountResponse RESPONSE = new BankAccountResponse("BA1", ACCOUNT_ID, NUMBER, "John Doe",
            true, BankAccountResponse.STATUS_CREATED, false, 3, true, "2026-01-01T00:00:00.000Z", "crn:a", null, null,
            List.of());

    @MockitoBean
    BankAccountRegistry registry;

    @BeforeEach
    void owner() {
        actAs(OWNER);
        readModelAnswers(BankAccountResponse.class, RESPONSE);
    }

    private static Object authority(String phone, String fullName, String email) {
        return map("phoneNumber", phone, "fullName", fullName, "emailAddress", email);
    }

    @Test
    void aValidCreateSendsOneCommandForTheCallersAccountAndAnswersTheReadModel() throws Exception {
        postJson(PATH, map("bankAccountNumber", NUMBER, "bankAccountName", "  John Doe ",
                "directDebitAuthority", authority("+64212345678", " John ", "john@example.com")))
                .andExpect(body(RESPONSE));

        CreateBankAccountCommand command = sentCommand(CreateBankAccountCommand.class);
        assertThat(Ids.isWellFormed(command.bankAccountId())).isTrue();
        assertThat(command).isEqualTo(new CreateBankAccountCommand(command.bankAccountId(), ACCOUNT_ID, NUMBER,
                "John Doe", new DirectDebitAuthority("+64212345678", "John", "john@example.com"),
                BankAccountFace.BANK_ACCOUNT));
        verifyQueried(new FindBankAccountQuery(command.bankAccountId()), BankAccountResponse.class);
    }

    @Test
    void theAdminNamesTheAccountAndAnOwnerOnlyItsOwn() throws Exception {
        actAs(ADMIN);
        postJson(PATH, map("bankAccountNumber", NUMBER, "bankAccountName", "John Doe"))
                .andExpect(refused(400, "accountId is required"));
        postJson(PATH, map("accountId", "acc_other", "bankAccountNumber", NUMBER, "bankAccountName", "John Doe"))
                .andExpect(body(RESPONSE));
        assertThat(sentCommand(CreateBankAccountCommand.class).accountId()).isEqualTo("acc_other");

        actAs(OWNER);
        postJson(PATH, map("accountId", "acc_other", "bankAccountNumber", NUMBER, "bankAccountName", "John Doe"))
                .andExpect(refused(404, "ACCOUNT_NOT_FOUND"));
    }

    @Test
    void missingOrBlankFieldsAreNamed() throws Exception {
        postJson(PATH, map("bankAccountName", "John Doe")).andExpect(refused(400, "bankAccountNumber is required"));
        postJson(PATH, map("bankAccountNumber", " ", "bankAccountName", "John Doe"))
                .andExpect(refused(400, "bankAccountNumber is required"));
        postJson(PATH, map("bankAccountNumber", NUMBER, "bankAccountName", null))
                .andExpect(refused(400, "bankAccountName is required"));
        postJson(PATH, map()).andExpect(refused(400, "bankAccountName is required"))
                .andExpect(jsonPath("$.details",
                        contains("bankAccountName is required", "bankAccountNumber is required")));
        postJson(PATH, map("bankAccountNumber", NUMBER, "bankAccountName", "John Doe",
                "directDebitAuthority", authority("+64212345678", " ", "john@example.com")))
                .andExpect(refused(400, "directDebitAuthority.fullName is required"));
        postJson(PATH, map("bankAccountNumber", NUMBER, "bankAccountName", "John Doe",
                "directDebitAuthority", authority("021 234 5678", "John", "john@example.com")))
                .andExpect(refused(400,
                        "directDebitAuthority.phoneNumber must be a phone number in E.164 format, like +64212345678"));
        postJson(PATH, map("bankAccountNumber", NUMBER, "bankAccountName", "John Doe",
                "directDebitAuthority", authority("+64212345678", "John", "not-an-email")))
                .andExpect(refused(400, "directDebitAuthority.emailAddress must be an email address"));
        verifyNoInteractions(commands, queries);
    }

    @Test
    void wrongTypesAndBrokenJsonAreRefusedBeforeAnyCommand() throws Exception {
        postJson(PATH, map("bankAccountNumber", NUMBER, "bankAccountName", 5))
                .andExpect(refused(400, "bankAccountName must be a JSON string"));
        postJson(PATH, map("bankAccountNumber", NUMBER, "bankAccountName", "John Doe", "directDebitAuthority", "yes"))
                .andExpect(refused(400, "directDebitAuthority must be a JSON object"));
        postJson(PATH, "{\"bankAccountNumber\":\"" + NUMBER + "\",\"bankAccountName\":\"Jo\\u0000hn\"}")
                .andExpect(refused(400, "bankAccountName has the wrong type or format"));
        postJson(PATH, "{\"bankAccountNumber\": \"12-1234-1234567-123\",")
                .andExpect(refused(400, "request body is not valid JSON"));
        postJson(PATH, "").andExpect(refused(400, "request body is required"));
        mvc.perform(post(PATH).contentType(MediaType.TEXT_PLAIN).content("hello"))
                .andExpect(refused(415, "content type must be application/json or application/*+json"));
        verifyNoInteractions(commands, queries);
    }

    @Test
    void theBodyLimitAndNulParametersAreRefusedBeforeTheController() throws Exception {
        postJson(PATH, "{\"bankAccountName\":\"" + "x".repeat(1024 * 1024) + "\"}")
                .andExpect(refused(413, "request body must not exceed 1048576 bytes"));
        mvc.perform(post(URI.create(PATH + "?accountId=%00")).contentType(MediaType.APPLICATION_JSON)
                        .content("{}"))
                .andExpect(refused(400, "parameters must not contain NUL characters"));
        verifyNoInteractions(commands, queries);
    }

    @Test
    void aBrokenRuleAnswers403WithItsCodeAndNoRead() throws Exception {
        willThrow(new BusinessRuleException(ErrorCode.DUPLICATE_BANK_ACCOUNT)).given(commands).sendAndWait(any());
        postJson(PATH, map("bankAccountNumber", NUMBER, "bankAccountName", "John Doe"))
                .andExpect(refused(403, "DUPLICATE_BANK_ACCOUNT"));
        verifyNoInteractions(queries);
    }

    @Test
    void aDirectDebitAuthorityIsForAVisibleBankAccount() throws Exception {
        String id = Ids.newId();
        given(registry.ownerOf(id)).willReturn(Optional.of(ACCOUNT_ID));
        postJson(PATH + "/" + id + "/direct-debit-authorities", authority("+64212345678", " Jane ", "jane@example.com"))
                .andExpect(body(RESPONSE));
        assertThat(sentCommand(AuthorizeDirectDebitCommand.class)).isEqualTo(new AuthorizeDirectDebitCommand(id,
                new DirectDebitAuthority("+64212345678", "Jane", "jane@example.com")));
        verifyQueried(new FindBankAccountQuery(id), BankAccountResponse.class);
    }

    @Test
    void aDirectDebitAuthorityNeedsEveryField() throws Exception {
        String id = Ids.newId();
        given(registry.ownerOf(id)).willReturn(Optional.of(ACCOUNT_ID));
        postJson(PATH + "/" + id + "/direct-debit-authorities", map("phoneNumber", "+64212345678"))
                .andExpect(refused(400, "emailAddress is required"))
                .andExpect(jsonPath("$.details", contains("emailAddress is required", "fullName is required")));
        postJson(PATH + "/" + id + "/direct-debit-authorities", "{oops")
                .andExpect(refused(400, "request body is not valid JSON"));
        verifyNoInteractions(commands);
    }

    @Test
    void unknownForeignAndMalformedBankAccountsAreAlike() throws Exception {
        String unknown = Ids.newId();
        String foreign = Ids.newId();
        given(registry.ownerOf(unknown)).willReturn(Optional.empty());
        given(registry.ownerOf(foreign)).willReturn(Optional.of("acc_other"));
        for (String id : List.of(unknown, foreign, "not-an-id")) {
            postJson(PATH + "/" + id + "/direct-debit-authorities", authority("+64212345678", "Jane", "jane@example.com"))
                    .andExpect(refused(404, "BANK_ACCOUNT_NOT_FOUND"));
            postJson(PATH + "/" + id + "/verify", map("verificationCode", "1234"))
                    .andExpect(refused(404, "BANK_ACCOUNT_NOT_FOUND"));
        }
        verifyNoInteractions(commands, queries);
    }

    @Test
    void aVerificationSendsTheCodeAndEchoesIt() throws Exception {
        String id = Ids.newId();
        given(registry.ownerOf(id)).willReturn(Optional.of(ACCOUNT_ID));
        postJson(PATH + "/" + id + "/verify", map("verificationCode", "1234"))
                .andExpect(body(map("verificationCode", "1234")));
        assertThat(sentCommand(VerifyBankAccountCommand.class)).isEqualTo(new VerifyBankAccountCommand(id, "1234"));
        verifyNoInteractions(queries);
    }

    @Test
    void aVerificationNeedsACodeAndAnswersTheRefusal() throws Exception {
        String id = Ids.newId();
        given(registry.ownerOf(id)).willReturn(Optional.of(ACCOUNT_ID));
        postJson(PATH + "/" + id + "/verify", map()).andExpect(refused(400, "verificationCode is required"));
        postJson(PATH + "/" + id + "/verify", map("verificationCode", 1111))
                .andExpect(refused(400, "verificationCode must be a JSON string"));
        verifyNoInteractions(commands);

        willThrow(new RecordedRefusalException(ErrorCode.VERIFICATION_CODE_INVALID)).given(commands).sendAndWait(any());
        postJson(PATH + "/" + id + "/verify", map("verificationCode", "9999"))
                .andExpect(refused(403, "VERIFICATION_CODE_INVALID"));
        willThrow(new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND)).given(commands).sendAndWait(any());
        postJson(PATH + "/" + id + "/verify", map("verificationCode", "9999"))
                .andExpect(refused(404, "BANK_ACCOUNT_NOT_FOUND"));
    }
}
