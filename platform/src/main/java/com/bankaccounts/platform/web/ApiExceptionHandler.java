package com.bankaccounts.platform.web;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.InvalidInputException;
import com.bankaccounts.api.common.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.constraints.Size;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.fileupload.impl.FileCountLimitExceededException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentConversionNotSupportedException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Maps every failure to the error format (for a set of browser pages, a 404, a 405 or a fault to its own page,
 * {@link ErrorPages}); nothing a client sends gets a 5xx or a stack trace.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    /** Jackson's words for a key given twice in an object ({@code StreamReadFeature.STRICT_DUPLICATE_DETECTION}). */
    private static final Pattern DUPLICATE_KEY =
            Pattern.compile("Duplicate (?:Object property|field) [\"']([A-Za-z][A-Za-z0-9_]{0,63})[\"']");
    private static final Pattern FIELD_PATH =
            Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}(?:(?:\\.[A-Za-z][A-Za-z0-9_]{0,63})|\\[\\d{1,6}])*");
    private static final String DEFAULT_SIZE_MESSAGE = "{jakarta.validation.constraints.Size.message}";
    private static final Set<Class<?>> WHOLE_NUMBER_TYPES = Set.of(Long.class, long.class, Integer.class, int.class,
            Short.class, short.class, Byte.class, byte.class, BigInteger.class);

    private final int maxParts;
    private final DataSize maxPartHeaderSize;
    private final DataSize maxFormSize;
    private final List<ErrorPages> pages;

    ApiExceptionHandler(@Value("${server.tomcat.max-part-count:50}") int maxParts,
                        @Value("${server.tomcat.max-part-header-size:512B}") DataSize maxPartHeaderSize,
                        @Value("${server.tomcat.max-http-form-post-size:2MB}") DataSize maxFormSize,
                        List<ErrorPages> pages) {
        this.maxParts = maxParts;
        this.maxPartHeaderSize = maxPartHeaderSize;
        this.maxFormSize = maxFormSize;
        this.pages = pages;
    }

    @ExceptionHandler(BusinessRuleException.class)
    ResponseEntity<ErrorBody> businessRule(BusinessRuleException e) {
        return respond(HttpStatus.FORBIDDEN, e.code());
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ErrorBody> notFound(NotFoundException e) {
        return respond(HttpStatus.NOT_FOUND, e.code());
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ErrorBody> invalidInput(InvalidInputException e) {
        return respond(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ErrorBody> aggregateNotFound() {
        return respond(HttpStatus.NOT_FOUND, ErrorCode.NOT_FOUND);
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ErrorBody> api(ApiException e) {
        return respond(e.status(), e.getMessage());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ErrorBody> invalid(MethodArgumentNotValidException e) {
        List<String> problems = e.getBindingResult().getFieldErrors().stream()
                .map(ApiExceptionHandler::describe)
                .sorted()
                .toList();
        String message = problems.isEmpty() ? "request body is invalid" : problems.get(0);
        return respond(HttpStatus.BAD_REQUEST, ErrorBody.of(HttpStatus.BAD_REQUEST, message, problems));
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ErrorBody> invalidParameters(HandlerMethodValidationException e) {
        return respond(HttpStatus.BAD_REQUEST, "request is invalid");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorBody> unreadable(HttpMessageNotReadableException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return respond(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge.getMessage());
            }
            if (cause instanceof RequestBodyRules.NotUtf8Exception) {
                return respond(HttpStatus.BAD_REQUEST, RequestBodyRules.NOT_UTF_8);
            }
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamReadException read && read.getOriginalMessage() != null
                    && read.getOriginalMessage().startsWith("Duplicate ")) {
                // The key is named only when it is one of ours to name: it is the client's text.
                Matcher key = DUPLICATE_KEY.matcher(read.getOriginalMessage());
                return respond(HttpStatus.BAD_REQUEST, "request body has "
                        + (key.matches() ? "\"" + key.group(1) + "\"" : "a key") + " more than once");
            }
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnrecognizedPropertyException unknown) {
                return respond(HttpStatus.BAD_REQUEST, unknownField(unknown));
            }
            if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                // A string refused as a value (a NUL in a text, a date it could not parse) is named as before.
                String expected = cause instanceof MismatchedInputException mismatch
                        && !(cause instanceof InvalidFormatException format && format.getValue() instanceof String)
                        ? jsonTypeOf(mismatch.getTargetType()) : null;
                return respond(HttpStatus.BAD_REQUEST, path(jackson)
                        + (expected == null ? " has the wrong type or format" : " must be " + expected));
            }
            // Valid JSON of another kind where the body's object belongs: [], "x", 5.
            if (cause instanceof MismatchedInputException mismatch && mismatch.getPath().isEmpty()
                    && mismatch.getTargetType() != null && !mismatch.getMessage().contains("end-of-input")
                    && !mismatch.getMessage().startsWith("Trailing token")) {
                return respond(HttpStatus.BAD_REQUEST, "request body must be a JSON object");
            }
        }
        if (e.getCause() == null && e.getMessage() != null && e.getMessage().startsWith("Required request body")) {
            return respond(HttpStatus.BAD_REQUEST, "request body is required");
        }
        return respond(HttpStatus.BAD_REQUEST, "request body is not valid JSON");
    }

    /**
     * Names the field, and what its object takes, when the field's name could be one of ours: it is the client's text.
     */
    static String unknownField(UnrecognizedPropertyException e) {
        String takes = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                .map(String::valueOf).sorted().collect(Collectors.joining(", "));
        return unknownField(path(e), takes);
    }

    /** @param takes what the field's object takes, in words ("name, test"); empty to leave it unsaid */
    static String unknownField(String field, String takes) {
        if (!FIELD_PATH.matcher(field).matches()) {
            return "request body has a field this endpoint does not take";
        }
        return "unknown field \"" + field + "\"" + (takes.isEmpty() ? "" : " (its object takes " + takes + ")");
    }

    /** What JSON a field of this Java type takes, in a client's words; null when it is not that simple. */
    private static String jsonTypeOf(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (type == String.class) {
            return "a JSON string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (WHOLE_NUMBER_TYPES.contains(type)) {
            return "a whole JSON number";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != char.class) {
            return "a JSON number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a JSON array";
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type)) {
            return "a JSON object";
        }
        return null;
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ErrorBody> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
        String supported = e.getSupportedMediaTypes().stream()
                .map(type -> type.getType() + "/" + type.getSubtype())
                .distinct()
                .collect(Collectors.joining(" or "));
        return respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                supported.isEmpty() ? "content type is not supported here" : "content type must be " + supported);
    }

    /** The API answers JSON only; a page (HTML) or the metrics (text) answer their own type only. */
    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ErrorBody> notAcceptable(HttpServletRequest request) {
        return respond(HttpStatus.NOT_ACCEPTABLE, request.getRequestURI().startsWith("/api/")
                ? "responses are application/json" : "this answer is not in a type that Accept allows");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<?> methodNotAllowed(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        // The methods the path takes, in Allow, as a 405 must say (RFC 9110, 15.5.6).
        ResponseEntity<String> page = page(HttpStatus.METHOD_NOT_ALLOWED, request);
        if (page != null) {
            return ResponseEntity.status(page.getStatusCode()).headers(page.getHeaders()).headers(e.getHeaders())
                    .body(page.getBody());
        }
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED).headers(e.getHeaders())
                .contentType(MediaType.APPLICATION_JSON)
                .body(ErrorBody.of(HttpStatus.METHOD_NOT_ALLOWED, e.getMethod() + " is not supported here"));
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<?> noRoute(HttpServletRequest request) {
        ResponseEntity<String> page = page(HttpStatus.NOT_FOUND, request);
        return page != null ? page : respond(HttpStatus.NOT_FOUND, ErrorCode.NOT_FOUND);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ErrorBody> missingParameter(MissingServletRequestParameterException e) {
        return respond(HttpStatus.BAD_REQUEST, e.getParameterName() + " is required");
    }

    /** A parameter that does not convert, or a part of the wrong kind (a file where a text field is expected). */
    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MethodArgumentConversionNotSupportedException.class})
    ResponseEntity<ErrorBody> parameterType(TypeMismatchException e) {
        return respond(HttpStatus.BAD_REQUEST, e.getPropertyName() + " has the wrong type or format");
    }

    /** A page's own "not found" (the admin console's): its page, or its status in the error format. */
    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<?> status(ResponseStatusException e, HttpServletRequest request) {
        HttpStatus status = HttpStatus.resolve(e.getStatusCode().value());
        if (status == null || status.is5xxServerError()) {
            return unexpected(e, request);
        }
        ResponseEntity<String> page = status == HttpStatus.NOT_FOUND ? page(status, request) : null;
        if (page != null) {
            return page;
        }
        return respond(status, status == HttpStatus.NOT_FOUND ? ErrorCode.NOT_FOUND.name() : status.getReasonPhrase());
    }

    /** The error page of the pages the request is for; null for the API and everything else. */
    private ResponseEntity<String> page(HttpStatus status, HttpServletRequest request) {
        return ErrorPages.covering(pages, request.getRequestURI()).map(set -> set.errorPage(status)).orElse(null);
    }

    /** The firewall's refusal of a header or parameter read after its own checks: bad input. */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ErrorBody> rejected() {
        return respond(HttpStatus.BAD_REQUEST, "request has a header or parameter that is not allowed");
    }

    /**
     * Spring reports every limit Tomcat puts on a multipart body as a size exceeded; only the file's and the body's
     * size are the API's {@code FILE_TOO_LARGE}, the others are a malformed request.
     */
    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ErrorBody> uploadTooLarge(MaxUploadSizeExceededException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof FileCountLimitExceededException) {
                return respond(HttpStatus.BAD_REQUEST, "an upload has at most " + maxParts + " parts");
            }
            if (cause.getMessage() != null && cause.getMessage().contains("maxPostSize")) {
                // Tomcat's limit of the text fields together (its maxPostSize), not of the file.
                return respond(HttpStatus.PAYLOAD_TOO_LARGE,
                        "an upload's fields other than file must not exceed " + maxFormSize.toBytes() + " bytes");
            }
            if (cause.getMessage() != null && cause.getMessage().startsWith("Header section has more than")) {
                return respond(HttpStatus.BAD_REQUEST,
                        "a part's headers must be at most " + maxPartHeaderSize.toKilobytes()
                                + " KB: send a shorter file name");
            }
        }
        return respond(HttpStatus.FORBIDDEN, ErrorCode.FILE_TOO_LARGE);
    }

    @ExceptionHandler({MissingServletRequestPartException.class, MultipartException.class})
    ResponseEntity<ErrorBody> badMultipart() {
        return respond(HttpStatus.BAD_REQUEST, "request must be multipart/form-data with a file part");
    }

    /** Anything else: a conflict, a value the database refused, an outage or a fault; for a page, as a page. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<?> unexpected(Exception e, HttpServletRequest request) {
        ResponseEntity<ErrorBody> answer = failure(e);
        ResponseEntity<String> page = page(HttpStatus.valueOf(answer.getStatusCode().value()), request);
        return page != null ? page : answer;
    }

    private ResponseEntity<ErrorBody> failure(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConcurrencyException || cause instanceof PessimisticLockingFailureException) {
                return respond(HttpStatus.CONFLICT, ErrorCode.CONCURRENT_MODIFICATION);
            }
            if (cause instanceof DuplicateKeyException) {
                log.warn("Conflicting write: {}", cause.getMessage());
                return respond(HttpStatus.CONFLICT, ErrorCode.CONFLICT);
            }
            if (cause instanceof DataIntegrityViolationException) {
                // Input that passed validation yet cannot be stored; nothing was written (the transaction rolled back).
                log.warn("Refused a value the database cannot store: {}", cause.getClass().getSimpleName());
                return respond(HttpStatus.BAD_REQUEST, "request has a value that cannot be stored");
            }
        }
        if (DatabaseUnavailable.causes(e)) {
            log.warn("Database unavailable: {}", e.getClass().getSimpleName());
            return respond(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE);
        }
        if (AxonServerUnavailable.causes(e)) {
            log.warn("Axon Server unavailable: {}", e.getClass().getSimpleName());
            return respond(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE);
        }
        log.error("Unexpected failure", e);
        return respond(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL_ERROR);
    }

    private static ResponseEntity<ErrorBody> respond(HttpStatus status, ErrorCode code) {
        return respond(status, code.name());
    }

    /** Always JSON, whatever the client accepts: a preset content type skips negotiation (no empty 406). */
    private static ResponseEntity<ErrorBody> respond(HttpStatus status, String message) {
        return respond(status, ErrorBody.of(status, message));
    }

    private static ResponseEntity<ErrorBody> respond(HttpStatus status, ErrorBody body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private static String describe(FieldError error) {
        return error.getField() + " " + message(error);
    }

    /**
     * Bean Validation's words, except for a length or a count with no lower bound: its "size must be between 0 and
     * 200" reads as if being empty were the fault.
     */
    private static String message(FieldError error) {
        if (error.contains(ConstraintViolation.class)
                && error.unwrap(ConstraintViolation.class).getConstraintDescriptor().getAnnotation() instanceof Size size
                && size.min() == 0 && size.message().equals(DEFAULT_SIZE_MESSAGE)) {
            return error.getRejectedValue() instanceof CharSequence
                    ? "must be at most " + size.max() + " characters long"
                    : "must have at most " + size.max() + " items";
        }
        return error.getDefaultMessage();
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "request body" : path.toString();
    }
}
