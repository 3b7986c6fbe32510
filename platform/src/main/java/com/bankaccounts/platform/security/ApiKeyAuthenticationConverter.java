package com.bankaccounts.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads the {@code x-api-key} header. No key (or a blank one) converts to nothing: the request goes on anonymous and
 * the filter chain's rules answer {@code API_KEY_REQUIRED} where a key is needed. Two different keys are refused
 * ({@link GivenTwice}): a proxy that reads the other copy would see another caller than this service serves.
 */
public class ApiKeyAuthenticationConverter implements AuthenticationConverter {

    public static final String HEADER = "x-api-key";
    public static final String GIVEN_TWICE = HEADER + " must be given once (two different keys were sent)";

    @Override
    public ApiKeyAuthentication convert(HttpServletRequest request) {
        Enumeration<String> values = request.getHeaders(HEADER);
        String presented = values.hasMoreElements() ? values.nextElement() : null;
        while (values.hasMoreElements()) {
            // The same key again (a client's default header and a request's own) is one key.
            if (!values.nextElement().equals(presented)) {
                throw new GivenTwice();
            }
        }
        return presented == null || presented.isBlank() ? null : ApiKeyAuthentication.presented(presented);
    }

    /** Bad input rather than a failed authentication: answered 400, no key looked up, no 401 counted. */
    static final class GivenTwice extends AuthenticationException {

        GivenTwice() {
            super(GIVEN_TWICE);
        }
    }
}
