package com.bankaccounts.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads the {@code x-api-key} header. No key (or a blank one) converts to nothing: the request goes on anonymous and
 * the filter chain's rules answer {@code API_KEY_REQUIRED} where a key is needed.
 */
public class ApiKeyAuthenticationConverter implements AuthenticationConverter {

    public static final String HEADER = "x-api-key";

    @Override
    public ApiKeyAuthentication convert(HttpServletRequest request) {
        String presented = request.getHeader(HEADER);
        return presented == null || presented.isBlank() ? null : ApiKeyAuthentication.presented(presented);
    }
}
