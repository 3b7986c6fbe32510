package com.bankaccounts.platform.security;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.web.ErrorResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * The 401 answers of the API: {@code API_KEY_INVALID} for a key that resolves to no caller (from the authentication
 * filter), {@code API_KEY_REQUIRED} for a request without one (from the authorization rules).
 */
public class ApiKeyEntryPoint implements AuthenticationEntryPoint {

    private final ErrorResponses errors;

    public ApiKeyEntryPoint(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        errors.write(response, HttpStatus.UNAUTHORIZED, failure instanceof BadCredentialsException
                ? ErrorCode.API_KEY_INVALID
                : ErrorCode.API_KEY_REQUIRED);
    }
}
