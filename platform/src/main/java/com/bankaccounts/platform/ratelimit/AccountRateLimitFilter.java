package com.bankaccounts.platform.ratelimit;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In the security chain right after the key is read: every request of an authenticated caller counts against its
 * account's limit (the admin key has a limit of its own), so even a refused one carries the limit headers.
 */
public class AccountRateLimitFilter extends OncePerRequestFilter {

    private final RateLimits limits;
    private final ErrorResponses errors;

    public AccountRateLimitFilter(RateLimits limits, ErrorResponses errors) {
        this.limits = limits;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Caller caller = Caller.current().orElse(null);
        if (caller != null && !limits.tryAccount(caller.admin() ? "admin" : caller.accountId(), response)) {
            errors.write(response, HttpStatus.TOO_MANY_REQUESTS, ErrorCode.RATE_LIMIT_EXCEEDED);
            return;
        }
        chain.doFilter(request, response);
    }
}
