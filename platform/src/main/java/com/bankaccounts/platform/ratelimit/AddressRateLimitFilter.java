package com.bankaccounts.platform.ratelimit;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.web.ErrorPages;
import com.bankaccounts.platform.web.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
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
    private final List<ErrorPages> pages;

    /** @param pages the sets of browser pages: the admin console's sign-in answers with its own page */
    public AddressRateLimitFilter(RateLimits limits, ErrorResponses errors, List<ErrorPages> pages) {
        this.limits = limits;
        this.errors = errors;
        this.pages = pages;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (limits.addressBlocked(request.getRemoteAddr(), response)) {
            Optional<ErrorPages> set = ErrorPages.covering(pages, request.getRequestURI());
            if (set.isPresent()) {
                set.get().writeErrorPage(response, HttpStatus.TOO_MANY_REQUESTS);
                return;
            }
            errors.write(response, HttpStatus.TOO_MANY_REQUESTS, ErrorCode.RATE_LIMIT_EXCEEDED);
            return;
        }
        chain.doFilter(request, response);
    }
}
