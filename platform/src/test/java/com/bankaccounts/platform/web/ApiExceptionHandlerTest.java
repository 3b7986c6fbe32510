package com.bankaccounts.platform.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.InvalidInputException;
import com.bankaccounts.api.common.NotFoundException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Profile;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.server.ResponseStatusException;

/** Every failure a controller can meet, mapped to its status and the error format (no HTTP server, no database). */
@WebMvcTest(controllers = ApiExceptionHandlerTest.Failing.class)
@AutoConfigureMockMvc(addFilters = false)
@ActiveProfiles(ApiExceptionHandlerTest.PROFILE)
class ApiExceptionHandlerTest {

    /** Keeps {@link Failing} out of the application's tests, which scan this package from the test jar. */
    static final String PROFILE = "api-exception-handler-test";

    @SpringBootConfiguration
    @Import({ApiExceptionHandler.class, StrictJsonConfiguration.class, Failing.class})
    static class Slice {
    }

    record Named(@NotBlank(message = "is required") String name, Boolean test) {
    }

    @RestController
    @Profile(PROFILE)
    static class Failing {

        @GetMapping("/fail/{what}")
        String fail(@PathVariable String what) {
            throw switch (what) {
                case "rule" -> new BusinessRuleException(ErrorCode.DUPLICATE_BANK_ACCOUNT);
                case "unknown" -> new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND);
                case "input" -> new InvalidInputException("amount must be positive");
                case "aggregate" -> new AggregateNotFoundException("x", "no such aggregate");
                case "api" -> new ApiException(HttpStatus.CONFLICT, ErrorCode.AUTHORIZATION_IN_PROGRESS);
                case "bad" -> ApiException.badRequest("role must be account-owner");
                case "concurrent" -> new ConcurrencyException("taken");
                case "wrapped-concurrent" -> new IllegalStateException(new ConcurrencyException("taken"));
                case "duplicate" -> new DuplicateKeyException("duplicate key");
                case "unstorable" -> new DataIntegrityViolationException("value too long");
                case "upload" -> new MaxUploadSizeExceededException(1);
                case "page-not-found" -> new ResponseStatusException(HttpStatus.NOT_FOUND);
                case "page-gone" -> new ResponseStatusException(HttpStatus.GONE, "expired");
                case "page-broken" -> new ResponseStatusException(HttpStatus.BAD_GATEWAY);
                default -> new IllegalStateException("a bug");
            };
        }

        @PostMapping("/named")
        Named named(@Valid @RequestBody Named named) {
            return named;
        }

        @GetMapping("/param")
        String param(@RequestParam int count) {
            return String.valueOf(count);
        }
    }

    @Autowired
    MockMvc mvc;

    private ResultActions answers(ResultActions result, int status, String message) throws Exception {
        return result.andExpect(status().is(status))
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(content().string("{\"statusCode\":" + status + ",\"error\":\""
                        + HttpStatus.valueOf(status).getReasonPhrase() + "\",\"message\":\"" + message + "\"}"));
    }

    private ResultActions fail(String what) throws Exception {
        return mvc.perform(get("/fail/" + what).accept(MediaType.TEXT_HTML));
    }

    @Test
    void domainRefusalsAnswerTheirCode() throws Exception {
        answers(fail("rule"), 403, "DUPLICATE_BANK_ACCOUNT");
        answers(fail("unknown"), 404, "BANK_ACCOUNT_NOT_FOUND");
        answers(fail("aggregate"), 404, "NOT_FOUND");
        answers(fail("input"), 400, "amount must be positive");
    }

    @Test
    void refusalsAtTheBoundaryAnswerTheirStatus() throws Exception {
        answers(fail("api"), 409, "AUTHORIZATION_IN_PROGRESS");
        answers(fail("bad"), 400, "role must be account-owner");
        answers(fail("upload"), 403, "FILE_TOO_LARGE");
        // A page's own status (the admin console's unknown approval), not an internal error.
        answers(fail("page-not-found"), 404, "NOT_FOUND");
        answers(fail("page-gone"), 410, "Gone");
        answers(fail("page-broken"), 500, "INTERNAL_ERROR");
    }

    @Test
    void storageConflictsAre409AndTheRestIsAnInternalErrorWithoutDetail() throws Exception {
        answers(fail("concurrent"), 409, "CONCURRENT_MODIFICATION");
        answers(fail("wrapped-concurrent"), 409, "CONCURRENT_MODIFICATION");
        answers(fail("duplicate"), 409, "CONFLICT");
        answers(fail("unstorable"), 400, "request has a value that cannot be stored");
        answers(fail("bug"), 500, "INTERNAL_ERROR");
    }

    @Test
    void badRequestsNameWhatIsWrong() throws Exception {
        mvc.perform(post("/named").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(
                        "{\"statusCode\":400,\"error\":\"Bad Request\",\"message\":\"name is required\",\"details\":[\"name is required\"]}"));
        answers(mvc.perform(post("/named").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"a\",\"test\":\"yes\"}")),
                400, "test must be true or false");
        // A field's JSON type is named where a client gave another one.
        answers(mvc.perform(post("/named").contentType(MediaType.APPLICATION_JSON).content("{\"name\":5}")),
                400, "name must be a JSON string");
        answers(mvc.perform(post("/named").contentType(MediaType.APPLICATION_JSON).content("{")),
                400, "request body is not valid JSON");
        answers(mvc.perform(post("/named").contentType(MediaType.APPLICATION_JSON)), 400, "request body is required");
        answers(mvc.perform(post("/named").contentType(MediaType.TEXT_PLAIN).content("x")),
                415, "content type must be application/json or application/*+json");
        answers(mvc.perform(put("/named")), 405, "PUT is not supported here");
        answers(mvc.perform(get("/param")), 400, "count is required");
        answers(mvc.perform(get("/param").param("count", "many")), 400, "count has the wrong type or format");
        answers(mvc.perform(get("/no-such-path")), 404, "NOT_FOUND");
    }
}
