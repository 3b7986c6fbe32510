package com.bankaccounts.command.connectionintent.provider;

import com.bankaccounts.api.common.ErrorCode;
import org.springframework.http.HttpStatus;

/**
 * The provider's resource server refused the access token (401): it expired or was revoked. Answered as a provider
 * error (502) unless the grant's refresh token gets a new one.
 */
public class AccessTokenRejectedException extends ProviderFailureException {

    public AccessTokenRejectedException() {
        super(HttpStatus.BAD_GATEWAY, ErrorCode.PROVIDER_ERROR);
    }
}
