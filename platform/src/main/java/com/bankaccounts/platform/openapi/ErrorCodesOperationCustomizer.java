package com.bankaccounts.platform.openapi;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.idempotency.IdempotencyFilter;
import com.bankaccounts.platform.operations.RequestLogFilter;
import com.bankaccounts.platform.ratelimit.RateLimits;
import com.bankaccounts.platform.security.ApiKeyAuthenticationConverter;
import com.bankaccounts.platform.security.SecurityConfiguration;
import com.bankaccounts.platform.web.RequestBodyRules;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;

/**
 * Gives every {@code /api} operation its error answers in the one error format, an example per code: the codes its
 * {@link ErrorCodes} lists, and the {@link #COMMON} ones. Also marks it as needing the {@code x-api-key} header.
 */
public class ErrorCodesOperationCustomizer implements OperationCustomizer {

    public static final String ERROR_SCHEMA = "ErrorBody";
    public static final String API_KEY_SCHEME = "apiKey";

    /** Which operations a common answer applies to. */
    public enum Scope { EVERY, POST, BODY, JSON_BODY, MULTIPART_BODY }

    /**
     * An answer every operation of its scope can give, decided before or around the endpoint (security, filters, the
     * error handler). {@code messages} are error codes, or for bad input a sample of its free-text message.
     */
    public record Common(Scope scope, HttpStatus status, List<String> messages) {

        Common(Scope scope, HttpStatus status, ErrorCode... codes) {
            this(scope, status, Arrays.stream(codes).map(Enum::name).toList());
        }

        Common(Scope scope, HttpStatus status, String message) {
            this(scope, status, List.of(message));
        }
    }

    /** What a filter or the error handler answers for any request goes here, once. */
    public static final List<Common> COMMON = List.of(
            new Common(Scope.EVERY, HttpStatus.BAD_REQUEST, List.of(SecurityConfiguration.URL_REFUSED,
                    SecurityConfiguration.HEADER_REFUSED, ApiKeyAuthenticationConverter.GIVEN_TWICE)),
            new Common(Scope.JSON_BODY, HttpStatus.BAD_REQUEST, List.of("request body is not valid JSON",
                    "request body has a field this endpoint does not take")),
            new Common(Scope.POST, HttpStatus.BAD_REQUEST,
                    List.of(RequestBodyRules.NOT_UTF_8, RequestBodyRules.CONTENT_TYPE_TWICE)),
            new Common(Scope.EVERY, HttpStatus.UNAUTHORIZED, ErrorCode.API_KEY_REQUIRED, ErrorCode.API_KEY_INVALID),
            new Common(Scope.EVERY, HttpStatus.NOT_ACCEPTABLE, "responses are application/json"),
            new Common(Scope.POST, HttpStatus.CONFLICT, ErrorCode.CONCURRENT_MODIFICATION, ErrorCode.CONFLICT,
                    ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS),
            new Common(Scope.POST, HttpStatus.UNPROCESSABLE_CONTENT, ErrorCode.IDEMPOTENCY_KEY_REUSED),
            new Common(Scope.EVERY, HttpStatus.TOO_MANY_REQUESTS, ErrorCode.RATE_LIMIT_EXCEEDED),
            new Common(Scope.JSON_BODY, HttpStatus.PAYLOAD_TOO_LARGE, "request body must not exceed 1048576 bytes"),
            new Common(Scope.MULTIPART_BODY, HttpStatus.PAYLOAD_TOO_LARGE,
                    "an upload's fields other than file must not exceed 2097152 bytes"),
            new Common(Scope.BODY, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "content type must be application/json"),
            new Common(Scope.POST, HttpStatus.UNSUPPORTED_MEDIA_TYPE, List.of(RequestBodyRules.NOT_UTF_8_CONTENT_TYPE,
                    RequestBodyRules.ENCODED)),
            new Common(Scope.EVERY, HttpStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL_ERROR),
            new Common(Scope.EVERY, HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE));

    private static final Map<HttpStatus, String> MEANING = Map.ofEntries(
            Map.entry(HttpStatus.BAD_REQUEST, "Bad input: `message` names the field (`details` lists every problem)."),
            Map.entry(HttpStatus.UNAUTHORIZED, "No `x-api-key`, or one that is not a key."),
            Map.entry(HttpStatus.FORBIDDEN, "Refused by a business rule."),
            Map.entry(HttpStatus.NOT_FOUND, "Unknown, or another account's: both answer alike."),
            Map.entry(HttpStatus.NOT_ACCEPTABLE,
                    "The `Accept` header names no JSON type: every answer is JSON (a POST is refused before it runs)."),
            Map.entry(HttpStatus.CONFLICT, "A concurrent request changed or holds the same resource: retry."),
            Map.entry(HttpStatus.PAYLOAD_TOO_LARGE, "The body is over its size limit (unless configured: a JSON body "
                    + "1 MB, an upload's fields other than the file 2 MB together)."),
            Map.entry(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "The body is not of the content type this endpoint reads (JSON is UTF-8)."),
            Map.entry(HttpStatus.UNPROCESSABLE_CONTENT, "Well-formed, but refused as it stands."),
            Map.entry(HttpStatus.TOO_MANY_REQUESTS, "Over the rate limit: retry after `Retry-After` seconds."),
            Map.entry(HttpStatus.INTERNAL_SERVER_ERROR, "A fault of the server; nothing a client sends causes it."),
            Map.entry(HttpStatus.BAD_GATEWAY, "The open-banking provider answered with an error: retry."),
            Map.entry(HttpStatus.SERVICE_UNAVAILABLE, "The database or the provider is unreachable: retry later."));

    @Override
    public Operation customize(Operation operation, HandlerMethod handlerMethod) {
        operation.addSecurityItem(new SecurityRequirement().addList(API_KEY_SCHEME));
        Map<HttpStatus, Set<String>> answers = new TreeMap<>();
        ErrorCodes codes = handlerMethod.getMethodAnnotation(ErrorCodes.class);
        if (codes != null) {
            add(answers, HttpStatus.FORBIDDEN, codes.forbidden());
            add(answers, HttpStatus.NOT_FOUND, codes.notFound());
            add(answers, HttpStatus.CONFLICT, codes.conflict());
            add(answers, HttpStatus.UNPROCESSABLE_CONTENT, codes.unprocessable());
            add(answers, HttpStatus.BAD_GATEWAY, codes.badGateway());
            add(answers, HttpStatus.SERVICE_UNAVAILABLE, codes.serviceUnavailable());
        }
        for (Common common : COMMON) {
            if (appliesTo(common.scope(), operation, handlerMethod)) {
                answers.computeIfAbsent(common.status(), status -> new LinkedHashSet<>()).addAll(common.messages());
            }
        }
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        answers.forEach((status, messages) -> responses.addApiResponse(String.valueOf(status.value()),
                errorResponse(status, messages)));
        operation.setResponses(responses);
        responses.forEach((status, response) -> everyAnswersHeaders(status, response));
        if (isPost(handlerMethod)) {
            idempotentRetries(operation);
        }
        operation.addParametersItem(new HeaderParameter().name(RequestLogFilter.HEADER).required(false)
                .description("The caller's own id for this request, answered in `" + RequestLogFilter.HEADER
                        + "` and `requestId` and carried by the server's log lines; anything else is replaced by a "
                        + "new one")
                .schema(new StringSchema().pattern("^[A-Za-z0-9._-]{1,128}$")));
        return operation;
    }

    /** The headers an answer carries (RequestLogFilter's on every one, RateLimits' where a limit counted it). */
    private static void everyAnswersHeaders(String status, ApiResponse response) {
        response.addHeaderObject(RequestLogFilter.HEADER, new Header()
                .description("This request's id, as in the error body's `requestId` and the server's log (a client's "
                        + "own id of 1 to 128 letters, digits, `.`, `_` or `-` is kept)")
                .schema(new StringSchema()));
        response.addHeaderObject(RateLimits.LIMIT, new Header()
                .description("Requests a minute, where a limit is on: the account's on a request with its key, the "
                        + "address's 401s on a 401 (none on an answer given before the key is read)")
                .schema(new IntegerSchema()));
        response.addHeaderObject(RateLimits.REMAINING, new Header()
                .description("What is left of that limit in this minute").schema(new IntegerSchema()));
        response.addHeaderObject(RateLimits.RESET, new Header()
                .description("Seconds until the limit's minute starts again").schema(new IntegerSchema()));
        if (status.equals("429")) {
            response.addHeaderObject(RateLimits.RETRY_AFTER, new Header()
                    .description("Seconds to wait before trying again").schema(new IntegerSchema()));
        }
    }

    /** Every POST takes an {@code Idempotency-Key} (IdempotencyFilter); a replayed answer says so. */
    private static void idempotentRetries(Operation operation) {
        operation.addParametersItem(new HeaderParameter().name(IdempotencyFilter.HEADER).required(false)
                .description("Makes a retry safe: the same key with the same body answers the first answer again "
                        + "(with `" + IdempotencyFilter.REPLAYED_HEADER + ": true`) and changes nothing; with "
                        + "another body, `422 IDEMPOTENCY_KEY_REUSED`. 1 to 255 printable ASCII characters, no space "
                        + "at either end, kept 24 hours. An `idempotencyKey` field in a JSON body does the same.")
                .schema(new StringSchema().minLength(1).maxLength(255)
                        .pattern("^[\\x21-\\x7E]([\\x20-\\x7E]*[\\x21-\\x7E])?$"))
                .example("order-1234-attempt"));
        // The answers kept for a retry: a success, a business refusal, an unknown resource (IdempotencyFilter).
        for (String kept : List.of("200", "403", "404")) {
            ApiResponse answer = operation.getResponses().get(kept);
            if (answer != null) {
                answer.addHeaderObject(IdempotencyFilter.REPLAYED_HEADER, new Header()
                        .description("`true` when this is the first answer to an earlier request with the same "
                                + "`Idempotency-Key`, sent again")
                        .schema(new StringSchema()._enum(List.of("true"))));
            }
        }
    }

    /** An error answer whose examples are the given messages, each as the full error body. */
    static ApiResponse errorResponse(HttpStatus status, Set<String> messages) {
        Map<String, Example> examples = new LinkedHashMap<>();
        for (String message : messages) {
            boolean code = ErrorCode.isCode(message);
            examples.put(code ? message : "bad-input-" + (examples.size() + 1), new Example()
                    .summary(code ? message : "a free-text message, such as: " + message)
                    .value(errorBody(status, message)));
        }
        List<String> codes = messages.stream().filter(ErrorCode::isCode).toList();
        String description = MEANING.getOrDefault(status, status.getReasonPhrase())
                + (codes.contains(ErrorCode.ADMIN_KEY_REQUIRED.name())
                ? " `ADMIN_KEY_REQUIRED`: an admin-only endpoint called with an account's key." : "")
                + (codes.isEmpty() ? "" : " `message`: " + String.join(", ", codes) + ".");
        return new ApiResponse().description(description).content(new Content().addMediaType(
                org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                new MediaType().schema(new Schema<>().$ref(ERROR_SCHEMA)).examples(examples)));
    }

    static Map<String, Object> errorBody(HttpStatus status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", status.value());
        body.put("error", status.getReasonPhrase());
        body.put("message", message);
        return body;
    }

    private static void add(Map<HttpStatus, Set<String>> answers, HttpStatus status, ErrorCode[] codes) {
        for (ErrorCode code : codes) {
            answers.computeIfAbsent(status, s -> new LinkedHashSet<>()).add(code.name());
        }
    }

    private static boolean appliesTo(Scope scope, Operation operation, HandlerMethod handlerMethod) {
        return switch (scope) {
            case EVERY -> true;
            case POST -> isPost(handlerMethod);
            case BODY -> operation.getRequestBody() != null;
            case JSON_BODY -> operation.getRequestBody() != null && operation.getRequestBody().getContent() != null
                    && operation.getRequestBody().getContent()
                    .containsKey(org.springframework.http.MediaType.APPLICATION_JSON_VALUE);
            case MULTIPART_BODY -> operation.getRequestBody() != null
                    && operation.getRequestBody().getContent() != null && operation.getRequestBody().getContent()
                    .containsKey(org.springframework.http.MediaType.MULTIPART_FORM_DATA_VALUE);
        };
    }

    private static boolean isPost(HandlerMethod handlerMethod) {
        RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(handlerMethod.getMethod(),
                RequestMapping.class);
        return mapping != null && Arrays.asList(mapping.method()).contains(RequestMethod.POST);
    }
}
