package com.bankaccounts.platform.web;

import com.bankaccounts.platform.operations.RequestLogFilter;
import java.util.List;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;

/**
 * The one error format: {@code {"statusCode": 403, "error": "Forbidden", "message": "DUPLICATE_BANK_ACCOUNT"}}, with the
 * request's id ({@code requestId}, as in the {@code X-Request-Id} answer header) so a client can quote it.
 */
public record ErrorBody(int statusCode, String error, String message, List<String> details, String requestId) {

    public static ErrorBody of(HttpStatus status, String message) {
        return new ErrorBody(status.value(), status.getReasonPhrase(), message, null, MDC.get(RequestLogFilter.MDC_KEY));
    }

    public static ErrorBody of(HttpStatus status, String message, List<String> details) {
        return new ErrorBody(status.value(), status.getReasonPhrase(), message, details.isEmpty() ? null : details,
                MDC.get(RequestLogFilter.MDC_KEY));
    }
}
