package com.bankaccounts.platform.security;

import com.bankaccounts.platform.account.ApiKeyRepository;
import com.bankaccounts.platform.web.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every {@code /api/} request by its {@code x-api-key} header. Which requests those are is decided by
 * the registration's URL pattern, matched on the decoded path, so an encoded path cannot slip past.
 */
public class ApiKeyFilter extends OncePerRequestFilter {

    public static final String HEADER = "x-api-key";
    static final String CALLER_ATTRIBUTE = Caller.class.getName();

    private final AdminKey adminKey;
    private final ApiKeyRepository apiKeys;
    private final ErrorResponses errors;

    public ApiKeyFilter(AdminKey adminKey, ApiKeyRepository apiKeys, ErrorResponses errors) {
        this.adminKey = adminKey;
        this.apiKeys = apiKeys;
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader(HEADER);
        if (presented == null || presented.isBlank()) {
            errors.write(response, HttpStatus.UNAUTHORIZED, "API_KEY_REQUIRED");
            return;
        }
        Optional<Caller> caller = adminKey.matches(presented)
                ? Optional.of(Caller.platformAdmin())
                : apiKeys.findCallerBySecret(presented);
        if (caller.isEmpty()) {
            errors.write(response, HttpStatus.UNAUTHORIZED, "API_KEY_INVALID");
            return;
        }
        request.setAttribute(CALLER_ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }
}
