package com.bankaccounts.platform.web;

/** Raised while reading a request body that turns out longer than the limit. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(long limit) {
        super("request body must not exceed " + limit + " bytes", null, false, false);
    }
}
