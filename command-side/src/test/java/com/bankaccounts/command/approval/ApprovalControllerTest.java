package com.bankaccounts.command.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.bankaccounts.api.approval.AcceptApprovalCommand;
import com.bankaccounts.api.approval.ApprovalResponse;
import com.bankaccounts.api.approval.CompleteApprovalCommand;
import com.bankaccounts.api.approval.DeclineApprovalCommand;
import com.bankaccounts.api.approval.FindApprovalQuery;
import com.bankaccounts.api.approval.RequestApprovalCommand;
import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
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

/** The approval endpoints' request shapes and error mapping (no database: gateways and registries mocked). */
@WebMvcTest(controllers = ApprovalController.class)
class ApprovalControllerTest extends ControllerSliceTest {

    @SpringBootConfiguration
    @Import({ControllerSliceTest.Platform.class, ApprovalController.class})
    static class Slice {
    }

    private static final String PATH = "/api/bank-account-approvals";
    private static final String BANK_ACCOUNT = Ids.newId();
    private static final String UPLOAD = Ids.newId();
    private static final String APPROVAL = Ids.newId();
    private static final ApprovalResponse RESPONSE = new ApprovalResponse(APPROVAL, BANK_ACCOUNT, ACCOUNT_ID,
            "settlement", "created", UPLOAD, null, null, null, null, null, "2026-01-01T00:00:00.000Z", "crn:a", null,
            null, List.of());

    @MockitoBean
    BankAccountRegistry bankAccounts;

    @MockitoBean
    ApprovalRegistry approvals;

    @BeforeEach
    void owner() {
        actAs(OWNER);
        given(bankAccounts.ownerOf(BANK_ACCOUNT)).willReturn(Optional.of(ACCOUNT_ID));
        given(approvals.ownerOf(APPROVAL)).willReturn(Optional.of(ACCOUNT_ID));
        readModelAnswers(ApprovalResponse.class, RESPONSE);
    }

    private static Map<String, Object> settlement() {
        return map("mediaUploadId", UPLOAD, "bankAccountId", BANK_ACCOUNT, "type", "settlement");
    }

    /** The gateway answers as the aggregate's constructor does: with the new approval's id. */
    private void commandAnswersItsId() {
        given(commands.sendAndWait(any())).willAnswer(call -> ((RequestApprovalCommand) call.getArgument(0))
                .approvalId());
    }

    @Test
    void aRequestSendsOneCommandForTheBankAccountsAccountAndAnswersTheReadModel() throws Exception {
        commandAnswersItsId();
        postJson(PATH, settlement()).andExpect(body(RESPONSE));
        RequestApprovalCommand command = sentCommand(RequestApprovalCommand.class);
        assertThat(Ids.isWellFormed(command.approvalId())).isTrue();
        assertThat(command).isEqualTo(new RequestApprovalCommand(command.approvalId(), ACCOUNT_ID, BANK_ACCOUNT,
                UPLOAD));
        verifyQueried(new FindApprovalQuery(command.approvalId()), ApprovalResponse.class);
    }

    @Test
    void theAdminRequestsForTheAccountThatHoldsTheBankAccount() throws Exception {
        actAs(ADMIN);
        commandAnswersItsId();
        postJson(PATH, settlement()).andExpect(body(RESPONSE));
        assertThat(sentCommand(RequestApprovalCommand.class).accountId()).isEqualTo(ACCOUNT_ID);
    }

    @Test
    void missingOrBlankFieldsAreNamed() throws Exception {
        for (String field : List.of("mediaUploadId", "bankAccountId", "type")) {
            Map<String, Object> missing = settlement();
            missing.remove(field);
            postJson(PATH, missing).andExpect(refused(400, field + " is required"));
            Map<String, Object> blank = settlement();
            blank.put(field, "  ");
            postJson(PATH, blank).andExpect(refused(400, field + " is required"));
        }
        verifyNoInteractions(commands, queries);
    }

    @Test
    void onlySettlementsAreRequestedAndTypesAreStrict() throws Exception {
        for (String type : List.of("account-consent", "payment-consent", "SETTLEMENT")) {
            Map<String, Object> other = settlement();
            other.put("type", type);
            postJson(PATH, other).andExpect(
                    refused(400, "type must be settlement: consent approvals come from connection intents"));
        }
        Map<String, Object> number = settlement();
        number.put("mediaUploadId", 12);
        postJson(PATH, number).andExpect(refused(400, "mediaUploadId must be a JSON string"));
        postJson(PATH, "{\"mediaUploadId\": \"" + UPLOAD + "\", ")
                .andExpect(refused(400, "request body is not valid JSON"));
        postJson(PATH, "").andExpect(refused(400, "request body is required"));
        mvc.perform(post(PATH).contentType(MediaType.TEXT_PLAIN).content("settlement"))
                .andExpect(refused(415, "content type must be application/json or application/*+json"));
        verifyNoInteractions(commands, queries);
    }

    @Test
    void anUnknownOrForeignBankAccountIsNotFound() throws Exception {
        String unknown = Ids.newId();
        String foreign = Ids.newId();
        given(bankAccounts.ownerOf(unknown)).willReturn(Optional.empty());
        given(bankAccounts.ownerOf(foreign)).willReturn(Optional.of("acc_other"));
        for (String id : List.of(unknown, foreign)) {
            Map<String, Object> request = settlement();
            request.put("bankAccountId", id);
            postJson(PATH, request).andExpect(refused(404, "BANK_ACCOUNT_NOT_FOUND"));
        }
        verifyNoInteractions(commands, queries);
    }

    @Test
    void refusalsOfTheAggregateAnswerTheirCodes() throws Exception {
        willThrow(new BusinessRuleException(ErrorCode.APPROVAL_ALREADY_IN_PROGRESS)).given(commands)
                .sendAndWait(any());
        postJson(PATH, settlement()).andExpect(refused(403, "APPROVAL_ALREADY_IN_PROGRESS"));
        willThrow(new NotFoundException(ErrorCode.MEDIA_UPLOAD_NOT_FOUND)).given(commands).sendAndWait(any());
        postJson(PATH, settlement()).andExpect(refused(404, "MEDIA_UPLOAD_NOT_FOUND"));
        verifyNoInteractions(queries);
    }

    @Test
    void anAcceptNeedsNoBodyAndAnswersAnEmptyObject() throws Exception {
        actAs(ADMIN);
        mvc.perform(post(PATH + "/" + APPROVAL + "/accept")).andExpect(body(Map.of()));
        assertThat(sentCommand(AcceptApprovalCommand.class)).isEqualTo(new AcceptApprovalCommand(APPROVAL, null));
    }

    @Test
    void aReasonIsTrimmedAndABlankOneIsNone() throws Exception {
        actAs(ADMIN);
        postJson(PATH + "/" + APPROVAL + "/complete", map("reason", "   ")).andExpect(body(Map.of()));
        assertThat(sentCommand(CompleteApprovalCommand.class)).isEqualTo(new CompleteApprovalCommand(APPROVAL, null));
    }

    @Test
    void aDeclineSendsItsTrimmedReason() throws Exception {
        actAs(ADMIN);
        postJson(PATH + "/" + APPROVAL + "/decline", map("reason", "  blurry scan ")).andExpect(body(Map.of()));
        assertThat(sentCommand(DeclineApprovalCommand.class))
                .isEqualTo(new DeclineApprovalCommand(APPROVAL, "blurry scan"));
        verifyNoInteractions(queries);
    }

    @Test
    void aDeclineNeedsAReason() throws Exception {
        actAs(ADMIN);
        mvc.perform(post(PATH + "/" + APPROVAL + "/decline")).andExpect(refused(400, "reason is required"));
        postJson(PATH + "/" + APPROVAL + "/decline", map()).andExpect(refused(400, "reason is required"));
        postJson(PATH + "/" + APPROVAL + "/decline", map("reason", " ")).andExpect(refused(400, "reason is required"));
        postJson(PATH + "/" + APPROVAL + "/decline", map("reason", 5))
                .andExpect(refused(400, "reason must be a JSON string"));
        verifyNoInteractions(commands);
    }

    @Test
    void aTooLongReasonIsRefused() throws Exception {
        actAs(ADMIN);
        postJson(PATH + "/" + APPROVAL + "/accept", map("reason", "x".repeat(1001)))
                .andExpect(refusedAbout(400, "reason"));
        verifyNoInteractions(commands);
    }

    @Test
    void reviewsOfUnknownApprovalsAndRefusedReviewsAnswerTheirCodes() throws Exception {
        actAs(ADMIN);
        String unknown = Ids.newId();
        given(approvals.ownerOf(unknown)).willReturn(Optional.empty());
        for (String id : List.of(unknown, "not-an-id")) {
            for (String review : List.of("accept", "decline", "complete")) {
                postJson(PATH + "/" + id + "/" + review, map("reason", "r"))
                        .andExpect(refused(404, "APPROVAL_NOT_FOUND"));
            }
        }
        verifyNoInteractions(commands);

        willThrow(new BusinessRuleException(ErrorCode.APPROVAL_ALREADY_REVIEWED)).given(commands).sendAndWait(any());
        postJson(PATH + "/" + APPROVAL + "/accept", map()).andExpect(refused(403, "APPROVAL_ALREADY_REVIEWED"));
        willThrow(new BusinessRuleException(ErrorCode.APPROVAL_NOT_APPROVED)).given(commands).sendAndWait(any());
        postJson(PATH + "/" + APPROVAL + "/complete", map()).andExpect(refused(403, "APPROVAL_NOT_APPROVED"));
    }
}
