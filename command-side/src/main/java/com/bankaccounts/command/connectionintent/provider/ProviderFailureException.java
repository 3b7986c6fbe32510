package com.bankaccounts.command.connectionintent.provider;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * The provider failed: unreachable or too slow (503 PROVIDER_UNAVAILABLE), or an error or malformed answer
 * (502 PROVIDER_ERROR). Nothing has changed, so the client may retry with the same code.
 */
public class ProviderFailureException extends ApiException {

    protected ProviderFailureException(HttpStatus status, ErrorCode code) {
        super(status, code);
    }

    public static ProviderFailureException unavailable() {
        return new ProviderFailureException(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.PROVIDER_UNAVAILABLE);
    }

    public static ProviderFailureException error() {
        return new ProviderFailureException(HttpStatus.BAD_GATEWAY, ErrorCode.PROVIDER_ERROR);
    }
}
