package com.bankaccounts.platform.web;

import com.bankaccounts.api.common.ErrorCode;
import org.springframework.http.HttpStatus;

/** A refusal decided at the HTTP boundary, answered with its status and its code (or, for bad input, a message). */
public class ApiException extends RuntimeException {

    private final HttpStatus status;

    public ApiException(HttpStatus status, ErrorCode code) {
        this(status, code.name());
    }

    private ApiException(HttpStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, message);
    }

    public static ApiException unsupportedMediaType(String message) {
        return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, message);
    }

    public HttpStatus status() {
        return status;
    }
}
