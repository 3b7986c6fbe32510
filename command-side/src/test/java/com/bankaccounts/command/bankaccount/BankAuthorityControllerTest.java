package com.bankaccounts.command.bankaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.verifyNoInteractions;

import com.bankaccounts.api.bankaccount.BankAccountFace;
import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.bankaccount.CreateBankAccountCommand;
import com.bankaccounts.api.bankaccount.DirectDebitAuthority;
import com.bankaccounts.api.bankaccount.FindBankAccountQuery;
import com.bankaccounts.api.bankaccount.VerifyBankAccountCommand;
import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.command.ControllerSliceTest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/** The deprecated bank authority endpoints: the same controller, with their own shape and not-found code. */
@WebMvcTest(controllers = BankAccountController.class)
class BankAuthorityControllerTest extends ControllerSliceTest {

    @SpringBootConfiguration
    @Import({ControllerSliceTest.Platform.class, BankAccountController.class})
    static class Slice {
    }

    private static final String PATH = "/api/bank-authorities";
    private static final List<String> FIELDS = List.of("accountId", "fullName", "phoneNumber", "emailAddress",
            "bankAccountNumber", "bankAccountName");
    private static final BankAccountResponse RESPONSE = new BankAccountResponse("BA1", ACCOUNT_ID,
            "12-3456-7890123-00", "John Doe", true, BankAccountResponse.STATUS_CREATED, false, 3, true,
            "2026-01-01T00:00:00.000Z", "crn:a", null, null, List.of());

    @MockitoBean
    BankAccountRegistry registry;

    @BeforeEach
    void owner() {
        actAs(OWNER);
        readModelAnswers(BankAccountResponse.class, RESPONSE);
    }

    private static Map<String, Object> authority() {
        return map("accountId", ACCOUNT_ID, "fullName", " John Doe ", "phoneNumber", "+64212345678",
                "emailAddress", "john@example.com", "bankAccountNumber", "12-3456-7890123-00",
                "bankAccountName", " Johnny ");
    }

    @Test
    void aValidAuthoritySendsABankAccountWithItsDirectDebitAuthority() throws Exception {
        postJson(PATH, authority()).andExpect(body(RESPONSE));
        CreateBankAccountCommand command = sentCommand(CreateBankAccountCommand.class);
        assertThat(command).isEqualTo(new CreateBankAccountCommand(command.bankAccountId(), ACCOUNT_ID,
                "12-3456-7890123-00", "Johnny", new DirectDebitAuthority("+64212345678", "John Doe",
                "john@example.com"), BankAccountFace.BANK_AUTHORITY));
        verifyQueried(new FindBankAccountQuery(command.bankAccountId()), BankAccountResponse.class);
    }

    @Test
    void everyFieldIsRequired() throws Exception {
        for (String field : FIELDS) {
            Map<String, Object> missing = authority();
            missing.remove(field);
            postJson(PATH, missing).andExpect(refused(400, field + " is required"));
            Map<String, Object> blank = authority();
            blank.put(field, "  ");
            postJson(PATH, blank).andExpect(refused(400, field + " is required"));
        }
        verifyNoInteractions(commands, queries);
    }

    @Test
    void anAuthorityIsAlwaysADirectDebitAuthority() throws Exception {
        Map<String, Object> notAuthorized = authority();
        notAuthorized.put("directDebitAuthorized", false);
        postJson(PATH, notAuthorized).andExpect(refused(400,
                "directDebitAuthorized must be true: a bank authority is a direct debit authority"));
        notAuthorized.put("directDebitAuthorized", "true");
        postJson(PATH, notAuthorized).andExpect(refused(400, "directDebitAuthorized must be true or false"));
        verifyNoInteractions(commands, queries);
    }

    @Test
    void anotherAccountIsNotFoundAndARuleAnswersItsCode() throws Exception {
        Map<String, Object> foreign = authority();
        foreign.put("accountId", "acc_other");
        postJson(PATH, foreign).andExpect(refused(404, "ACCOUNT_NOT_FOUND"));
        verifyNoInteractions(commands);

        willThrow(new BusinessRuleException(ErrorCode.BANK_AUTHORITY_LIMIT_EXCEEDED)).given(commands)
                .sendAndWait(any());
        postJson(PATH, authority()).andExpect(refused(403, "BANK_AUTHORITY_LIMIT_EXCEEDED"));
        verifyNoInteractions(queries);
    }

    @Test
    void verifyingAnUnknownAuthorityAnswersItsOwnCode() throws Exception {
        String known = Ids.newId();
        String unknown = Ids.newId();
        given(registry.ownerOf(known)).willReturn(Optional.of(ACCOUNT_ID));
        given(registry.ownerOf(unknown)).willReturn(Optional.empty());
        postJson(PATH + "/" + unknown + "/verify", map("verificationCode", "1234"))
                .andExpect(refused(404, "BANK_AUTHORITY_NOT_FOUND"));
        postJson(PATH + "/" + known + "/verify", map("verificationCode", ""))
                .andExpect(refused(400, "verificationCode is required"));
        verifyNoInteractions(commands);

        postJson(PATH + "/" + known + "/verify", map("verificationCode", "1234"))
                .andExpect(body(map("verificationCode", "1234")));
        assertThat(sentCommand(VerifyBankAccountCommand.class)).isEqualTo(new VerifyBankAccountCommand(known, "1234"));
    }
}
