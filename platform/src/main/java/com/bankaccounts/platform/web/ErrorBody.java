package com.bankaccounts.platform.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/** The one error format: {@code {"statusCode": 403, "error": "Forbidden", "message": "DUPLICATE_BANK_ACCOUNT"}}. */
public record ErrorBody(int statusCode, String error, String message, List<String> details) {

    public static ErrorBody of(HttpStatus status, String message) {
        return new ErrorBody(status.value(), status.getReasonPhrase(), message, null);
    }

    public static ErrorBody of(HttpStatus status, String message, List<String> details) {
        return new ErrorBody(status.value(), status.getReasonPhrase(), message, details.isEmpty() ? null : details);
    }
}
