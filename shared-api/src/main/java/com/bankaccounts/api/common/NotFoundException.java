package com.bankaccounts.api.common;

/** An unknown resource, or one the caller may not see: both answer 404 so existence never leaks. */
public class NotFoundException extends RuntimeException {

    private final ErrorCode code;

    public NotFoundException(ErrorCode code) {
        super(code.name(), null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
