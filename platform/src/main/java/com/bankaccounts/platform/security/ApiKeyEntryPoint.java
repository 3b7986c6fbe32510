package com.bankaccounts.platform.security;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.ratelimit.RateLimits;
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
 * filter), {@code API_KEY_REQUIRED} for a request without one (from the authorization rules). Counted per client
 * address ({@link RateLimits}). A key given twice is a 400.
 */
public class ApiKeyEntryPoint implements AuthenticationEntryPoint {

    private final ErrorResponses errors;
    private final RateLimits rateLimits;

    public ApiKeyEntryPoint(ErrorResponses errors, RateLimits rateLimits) {
        this.errors = errors;
        this.rateLimits = rateLimits;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (failure instanceof ApiKeyAuthenticationConverter.GivenTwice) {
            errors.write(response, HttpStatus.BAD_REQUEST, ApiKeyAuthenticationConverter.GIVEN_TWICE);
            return;
        }
        // Each 401 counts against the client's address; the one past its limit is already a 429.
        if (!rateLimits.tryAuthenticationFailure(request.getRemoteAddr(), response)) {
            errors.write(response, HttpStatus.TOO_MANY_REQUESTS, ErrorCode.RATE_LIMIT_EXCEEDED);
            return;
        }
        errors.write(response, HttpStatus.UNAUTHORIZED, failure instanceof BadCredentialsException
                ? ErrorCode.API_KEY_INVALID
                : ErrorCode.API_KEY_REQUIRED);
    }
}
