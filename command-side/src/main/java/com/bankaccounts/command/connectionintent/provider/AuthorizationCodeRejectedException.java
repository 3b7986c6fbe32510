package com.bankaccounts.command.connectionintent.provider;

/** The provider says the authorization code is invalid, used or expired. */
public class AuthorizationCodeRejectedException extends RuntimeException {

    public AuthorizationCodeRejectedException(String reason) {
        super(reason, null, false, false);
    }
}
