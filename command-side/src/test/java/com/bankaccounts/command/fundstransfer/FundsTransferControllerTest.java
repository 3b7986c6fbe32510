package com.bankaccounts.command.fundstransfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.fundstransfer.CreateFundsTransferCommand;
import com.bankaccounts.api.fundstransfer.FindFundsTransferQuery;
import com.bankaccounts.api.fundstransfer.FundsTransferResponse;
import com.bankaccounts.api.fundstransfer.FundsTransferType;
import com.bankaccounts.api.fundstransfer.SettleFundsTransferCommand;
import com.bankaccounts.command.ControllerSliceTest;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/** The funds transfer endpoints' request shapes and error mapping (no database: gateways and lookups mocked). */
@WebMvcTest(controllers = FundsTransferController.class)
class FundsTransferControllerTest extends ControllerSliceTest {

    @SpringBootConfiguration
    @Import({ControllerSliceTest.Platform.class, FundsTransferController.class})
    static class Slice {
    }

    private static final String PATH = "/api/funds-transfers";
    private static final String BANK_ACCOUNT = Ids.newId();
    private static final FundsTransferResponse RESPONSE = new FundsTransferResponse("FT1", ACCOUNT_ID, BANK_ACCOUNT,
            "topup", "1500", FundsTransferResponse.STATUS_CREATED, true, null, "2026-01-01T00:00:00.000Z", "crn:a",
            null,
            null);

    @MockitoBean
    BankAccountRegistry registry;

    @MockitoBean
    FundsTransferCodes codes;

    @BeforeEach
    void owner() {
        actAs(OWNER);
        given(registry.ownerOf(BANK_ACCOUNT)).willReturn(Optional.of(ACCOUNT_ID));
        readModelAnswers(FundsTransferResponse.class, RESPONSE);
    }

    private static Map<String, Object> transfer(Object type, Object amount) {
        return map("bankAccountId", BANK_ACCOUNT, "type", type, "amount", amount);
    }

    @Test
    void aValidTransferSendsOneCommandForTheCallersAccountAndAnswersTheReadModel() throws Exception {
        postJson(PATH, transfer("withdrawal", "1500")).andExpect(body(RESPONSE));
        CreateFundsTransferCommand command = sentCommand(CreateFundsTransferCommand.class);
        assertThat(Ids.isWellFormed(command.fundsTransferId())).isTrue();
        assertThat(command).isEqualTo(new CreateFundsTransferCommand(command.fundsTransferId(), BANK_ACCOUNT,
                FundsTransferType.WITHDRAWAL, 1500L, ACCOUNT_ID));
        verifyQueried(new FindFundsTransferQuery(command.fundsTransferId()), FundsTransferResponse.class);
    }

    @Test
    void theAdminActsForNoAccountInParticular() throws Exception {
        actAs(ADMIN);
        postJson(PATH, transfer("topup", "999999999999")).andExpect(body(RESPONSE));
        CreateFundsTransferCommand command = sentCommand(CreateFundsTransferCommand.class);
        assertThat(command.accountId()).isNull();
        assertThat(command.amount()).isEqualTo(999_999_999_999L);
    }

    @Test
    void missingOrBlankFieldsAreNamed() throws Exception {
        for (String field : List.of("bankAccountId", "type", "amount")) {
            Map<String, Object> missing = transfer("topup", "100");
            missing.remove(field);
            postJson(PATH, missing).andExpect(refused(400, field + " is required"));
            Map<String, Object> blank = transfer("topup", "100");
            blank.put(field, " ");
            postJson(PATH, blank).andExpect(refused(400, field + " is required"));
        }
        verifyNoInteractions(commands, queries);
    }

    @Test
    void theAmountIsAStringOfPositiveCentsAndTheTypeOneOfTwo() throws Exception {
        for (String amount : List.of("0", "-1", "1.5", "0100", "1000000000000", "abc", " 100")) {
            postJson(PATH, transfer("topup", amount))
                    .andExpect(refused(400, "amount must be a positive number of cents, at most 12 digits"));
        }
        postJson(PATH, transfer("topup", 100)).andExpect(refused(400, "amount must be a JSON string"));
        for (String type : List.of("TOPUP", "deposit")) {
            postJson(PATH, transfer(type, "100")).andExpect(refused(400, "type must be topup or withdrawal"));
        }
        postJson(PATH, transfer(1, "100")).andExpect(refused(400, "type must be a JSON string"));
        verifyNoInteractions(commands, queries);
    }

    @Test
    void brokenJsonAndOtherContentTypesAreRefused() throws Exception {
        postJson(PATH, "{\"bankAccountId\": ").andExpect(refused(400, "request body is not valid JSON"));
        postJson(PATH, "").andExpect(refused(400, "request body is required"));
        mvc.perform(post(PATH).contentType(MediaType.APPLICATION_FORM_URLENCODED).content("amount=100"))
                .andExpect(refused(415, "content type must be application/json or application/*+json"));
        verifyNoInteractions(commands, queries);
    }

    @Test
    void unknownForeignAndMalformedBankAccountsAreAlike() throws Exception {
        String unknown = Ids.newId();
        String foreign = Ids.newId();
        given(registry.ownerOf(unknown)).willReturn(Optional.empty());
        given(registry.ownerOf(foreign)).willReturn(Optional.of("acc_other"));
        for (String id : List.of(unknown, foreign, "not-an-id")) {
            postJson(PATH, map("bankAccountId", id, "type", "topup", "amount", "100"))
                    .andExpect(refused(404, "BANK_ACCOUNT_NOT_FOUND"));
        }
        verifyNoInteractions(commands, queries);
    }

    @Test
    void aBrokenRuleAnswers403WithItsCodeAndNoRead() throws Exception {
        willThrow(new BusinessRuleException(ErrorCode.DIRECT_DEBIT_NOT_AUTHORIZED)).given(commands).sendAndWait(any());
        postJson(PATH, transfer("withdrawal", "100")).andExpect(refused(403, "DIRECT_DEBIT_NOT_AUTHORIZED"));
        verifyNoInteractions(queries);
    }

    @Test
    void settlingSendsOneCommandAndAnswersTheReadModel() throws Exception {
        actAs(ADMIN);
        String id = Ids.newId();
        given(codes.ownerOf(id)).willReturn(Optional.of(ACCOUNT_ID));
        mvc.perform(post(PATH + "/" + id + "/settle")).andExpect(body(RESPONSE));
        assertThat(sentCommand(SettleFundsTransferCommand.class)).isEqualTo(new SettleFundsTransferCommand(id));
        verifyQueried(new FindFundsTransferQuery(id), FundsTransferResponse.class);
    }

    @Test
    void settlingAnUnknownTransferOrTwiceIsRefused() throws Exception {
        actAs(ADMIN);
        String unknown = Ids.newId();
        String known = Ids.newId();
        given(codes.ownerOf(unknown)).willReturn(Optional.empty());
        given(codes.ownerOf(known)).willReturn(Optional.of(ACCOUNT_ID));
        for (String id : List.of(unknown, "not-an-id")) {
            mvc.perform(post(PATH + "/" + id + "/settle")).andExpect(refused(404, "FUNDS_TRANSFER_NOT_FOUND"));
        }
        verifyNoInteractions(commands);

        willThrow(new BusinessRuleException(ErrorCode.FUNDS_TRANSFER_ALREADY_SETTLED)).given(commands)
                .sendAndWait(any());
        mvc.perform(post(PATH + "/" + known + "/settle")).andExpect(refused(403, "FUNDS_TRANSFER_ALREADY_SETTLED"));
        willThrow(new NotFoundException(ErrorCode.FUNDS_TRANSFER_NOT_FOUND)).given(commands).sendAndWait(any());
        mvc.perform(post(PATH + "/" + known + "/settle")).andExpect(refused(404, "FUNDS_TRANSFER_NOT_FOUND"));
        verifyNoInteractions(queries);
    }
}
