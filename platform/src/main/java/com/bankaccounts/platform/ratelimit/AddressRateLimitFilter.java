package com.bankaccounts.platform.ratelimit;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.web.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In front of the security chain: an address that has used up its 401s for the window gets 429 for every API request
 * until the window ends, before its key is even looked up. A valid key is refused too: were it let through, a guesser
 * would still learn which key is right.
 */
public class AddressRateLimitFilter extends OncePerRequestFilter {

    private final RateLimits limits;
    private final ErrorResponses errors;

    public AddressRateLimitFilter(RateLimits limits, ErrorResponses errors) {
        this.limits = limits;
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (limits.addressBlocked(request.getRemoteAddr(), response)) {
            errors.write(response, HttpStatus.TOO_MANY_REQUESTS, ErrorCode.RATE_LIMIT_EXCEEDED);
            return;
        }
        chain.doFilter(request, response);
    }
}
