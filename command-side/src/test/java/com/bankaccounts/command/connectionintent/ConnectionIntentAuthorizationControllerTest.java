package com.bankaccounts.command.connectionintent;

import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.connectionintent.AuthorizationOutcome;
import com.bankaccounts.command.ControllerSliceTest;
import com.bankaccounts.platform.web.ApiException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * Authorizing a connection intent (or a bank account request): the body's shape, the not-found codes of each face,
 * and the authorizer's outcomes as answers (the authorizer, which talks to the provider, is mocked).
 */
@WebMvcTest(controllers = ConnectionIntentController.class)
class ConnectionIntentAuthorizationControllerTest extends ControllerSliceTest {

    @SpringBootConfiguration
    @Import({ControllerSliceTest.Platform.class, ConnectionIntentController.class})
    static class Slice {
    }

    private static final String INTENT = Ids.newId();
    private static final String REQUEST = Ids.newId();

    @MockitoBean
    ConnectionIntentRegistry registry;

    @MockitoBean
    ConnectionIntentAuthorizer authorizer;

    @BeforeEach
    void owner() {
        actAs(OWNER);
        given(registry.ownerOf(INTENT, false)).willReturn(Optional.of(ACCOUNT_ID));
        given(registry.ownerOf(REQUEST, true)).willReturn(Optional.of(ACCOUNT_ID));
    }

    private static String intentPath(String id) {
        return "/api/bank-account-connection-intents/" + id + "/authorize";
    }

    private static String requestPath(String id) {
        return "/api/bank-account-requests/" + id + "/authorize";
    }

    @Test
    void aCodeIsHandedToTheAuthorizerAndAnEmptyObjectAnswered() throws Exception {
        given(authorizer.authorize(INTENT, "the-code", "the-state")).willReturn(AuthorizationOutcome.AUTHORIZED);
        postJson(intentPath(INTENT), map("code", "the-code", "state", "the-state")).andExpect(body(map()));
        verify(authorizer).authorize(INTENT, "the-code", "the-state");
        verifyNoMoreInteractions(authorizer);
        verifyNoInteractions(commands, queries);
    }

    @Test
    void theStateIsOptional() throws Exception {
        given(authorizer.authorize(REQUEST, "the-code", null)).willReturn(AuthorizationOutcome.AUTHORIZED);
        postJson(requestPath(REQUEST), map("code", "the-code")).andExpect(body(map()));
        verify(authorizer).authorize(REQUEST, "the-code", null);
    }

    @Test
    void theCodeIsRequiredAndBothFieldsAreStrings() throws Exception {
        for (Object body : List.of(map(), map("state", "s"), map("code", ""), map("code", "   "), map("code", null))) {
            postJson(intentPath(INTENT), body).andExpect(refused(400, "code is required"));
        }
        postJson(intentPath(INTENT), map("code", 123)).andExpect(refused(400, "code must be a JSON string"));
        postJson(intentPath(INTENT), map("code", "c", "state", 7))
                .andExpect(refused(400, "state must be a JSON string"));
        postJson(intentPath(INTENT), map("code", "x".repeat(2049)))
                .andExpect(refusedAbout(400, "code"));
        postJson(intentPath(INTENT), map("code", "c", "state", "s".repeat(129))).andExpect(refusedAbout(400, "state"));
        postJson(intentPath(INTENT), "{\"code\": ").andExpect(refused(400, "request body is not valid JSON"));
        postJson(intentPath(INTENT), "").andExpect(refused(400, "request body is required"));
        mvc.perform(post(intentPath(INTENT)).contentType(MediaType.TEXT_PLAIN).content("code=x"))
                .andExpect(refused(415, "content type must be application/json or application/*+json"));
        verifyNoInteractions(authorizer);
    }

    @Test
    void eachFaceAnswersItsOwnNotFoundForUnknownForeignAndMalformedIds() throws Exception {
        String unknown = Ids.newId();
        String foreign = Ids.newId();
        given(registry.ownerOf(unknown, false)).willReturn(Optional.empty());
        given(registry.ownerOf(unknown, true)).willReturn(Optional.empty());
        given(registry.ownerOf(foreign, false)).willReturn(Optional.of("acc_other"));
        given(registry.ownerOf(foreign, true)).willReturn(Optional.of("acc_other"));
        for (String id : List.of(unknown, foreign, "not-an-id")) {
            postJson(intentPath(id), map("code", "c")).andExpect(refused(404, "CONNECTION_INTENT_NOT_FOUND"));
            postJson(requestPath(id), map("code", "c")).andExpect(refused(404, "BANK_ACCOUNT_REQUEST_NOT_FOUND"));
        }
        // An id of the other face is not one of this face's.
        postJson(intentPath(REQUEST), map("code", "c")).andExpect(refused(404, "CONNECTION_INTENT_NOT_FOUND"));
        postJson(requestPath(INTENT), map("code", "c")).andExpect(refused(404, "BANK_ACCOUNT_REQUEST_NOT_FOUND"));
        verifyNoInteractions(authorizer);
    }

    @Test
    void aRejectedCodeIsABrokenRule() throws Exception {
        given(authorizer.authorize(INTENT, "spent", null)).willReturn(AuthorizationOutcome.CODE_REJECTED);
        postJson(intentPath(INTENT), map("code", "spent")).andExpect(refused(403, "AUTHORIZATION_CODE_INVALID"));
    }

    @Test
    void theAuthorizersRefusalsAnswerTheirCodes() throws Exception {
        willThrow(new BusinessRuleException(ErrorCode.STATE_MISMATCH)).given(authorizer)
                .authorize(INTENT, "c", "wrong");
        postJson(intentPath(INTENT), map("code", "c", "state", "wrong")).andExpect(refused(403, "STATE_MISMATCH"));
        willThrow(new BusinessRuleException(ErrorCode.BANK_ACCOUNT_REQUEST_ALREADY_DONE)).given(authorizer)
                .authorize(REQUEST, "c", null);
        postJson(requestPath(REQUEST), map("code", "c"))
                .andExpect(refused(403, "BANK_ACCOUNT_REQUEST_ALREADY_DONE"));
        willThrow(new ApiException(HttpStatus.CONFLICT, ErrorCode.AUTHORIZATION_IN_PROGRESS)).given(authorizer)
                .authorize(INTENT, "busy", null);
        postJson(intentPath(INTENT), map("code", "busy")).andExpect(refused(409, "AUTHORIZATION_IN_PROGRESS"));
    }
}
