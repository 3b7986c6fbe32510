package com.bankaccounts.platform.web;

import org.springframework.http.HttpStatus;

/** A refusal decided at the HTTP boundary (bad input, admin-only), answered with its status and message. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;

    public ApiException(HttpStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, message);
    }

    public static ApiException adminOnly() {
        return new ApiException(HttpStatus.FORBIDDEN, "ADMIN_KEY_REQUIRED");
    }

    public HttpStatus status() {
        return status;
    }
}
