package com.bankaccounts.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.bankaccounts.platform.security.ApiKeyAuthentication;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.security.CallerWebConfiguration;
import com.bankaccounts.platform.web.ApiExceptionHandler;
import com.bankaccounts.platform.web.ErrorResponses;
import com.bankaccounts.platform.web.StrictJsonConfiguration;
import com.bankaccounts.platform.web.WebConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.AfterEach;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.ResultMatcher;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the controller slices: one controller with the platform's error mapping, strict JSON, body filters and
 * {@link Caller} parameter, its gateways mocked. No database and no security chain: the caller is put in the
 * security context as the API-key filter would leave it (MockMvc runs the request on the test's thread).
 */
public abstract class ControllerSliceTest {

    /** What each slice imports beside its controller. */
    @Configuration(proxyBeanMethods = false)
    @Import({ApiExceptionHandler.class, StrictJsonConfiguration.class, WebConfiguration.class, ErrorResponses.class,
            CallerWebConfiguration.class})
    public static class Platform {
    }

    protected static final String ACCOUNT_ID = "acc_owner";
    protected static final Caller OWNER = Caller.apiKey(ACCOUNT_ID, "primary");
    protected static final Caller ADMIN = Caller.platformAdmin();

    @Autowired
    protected MockMvc mvc;

    /** The application's mapper, so an expected answer is written as the controller writes it. */
    @Autowired
    protected JsonMapper jsonMapper;

    @MockitoBean
    protected CommandGateway commands;

    @MockitoBean
    protected QueryGateway queries;

    @AfterEach
    void forgetCaller() {
        SecurityContextHolder.clearContext();
    }

    protected static void actAs(Caller caller) {
        SecurityContextHolder.getContext().setAuthentication(ApiKeyAuthentication.of(caller));
    }

    /** A JSON object from alternating names and values (null values kept). */
    protected static Map<String, Object> map(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    /** POSTs a body as JSON: a string as it is, anything else written by a plain mapper. */
    protected ResultActions postJson(String path, Object body) throws Exception {
        String json = body instanceof String text ? text : JsonMapper.builder().build().writeValueAsString(body);
        return mvc.perform(MockMvcRequestBuilders.post(path).contentType(MediaType.APPLICATION_JSON).content(json));
    }

    /** The error format with the given status and message. */
    protected static ResultMatcher refused(int status, String message) {
        return all(status().is(status),
                content().contentType(MediaType.APPLICATION_JSON),
                jsonPath("$.statusCode").value(status),
                jsonPath("$.message").value(message));
    }

    /**
     * The error format with a message about the given field (for Bean Validation's own messages, which depend on the
     * locale).
     */
    protected static ResultMatcher refusedAbout(int status, String field) {
        return all(status().is(status),
                content().contentType(MediaType.APPLICATION_JSON),
                jsonPath("$.statusCode").value(status),
                jsonPath("$.message", startsWith(field + " ")));
    }

    /** The body is exactly the given object as the application writes it. */
    protected ResultMatcher body(Object expected) {
        return all(status().isOk(),
                content().json(jsonMapper.writeValueAsString(expected), JsonCompareMode.STRICT));
    }

    /** The query gateway answers every query for the given response type with this response. */
    protected <R> void readModelAnswers(Class<R> type, R response) {
        given(queries.query(any(), responseType(type))).willReturn(CompletableFuture.completedFuture(response));
    }

    protected <R> void verifyQueried(Object query, Class<R> type) {
        verify(queries).query(eq(query), responseType(type));
        verifyNoMoreInteractions(queries);
    }

    /** The one command the controller sent (no other was sent). */
    protected <C> C sentCommand(Class<C> type) {
        ArgumentCaptor<Object> command = ArgumentCaptor.forClass(Object.class);
        verify(commands).sendAndWait(command.capture());
        verifyNoMoreInteractions(commands);
        assertThat(command.getValue()).isInstanceOf(type);
        return type.cast(command.getValue());
    }

    private static ResultMatcher all(ResultMatcher... matchers) {
        return result -> {
            for (ResultMatcher matcher : matchers) {
                matcher.match(result);
            }
        };
    }

    private static <R> ResponseType<R> responseType(Class<R> type) {
        return org.mockito.ArgumentMatchers.argThat(
                responseType -> responseType != null && responseType.getExpectedResponseType() == type);
    }
}
