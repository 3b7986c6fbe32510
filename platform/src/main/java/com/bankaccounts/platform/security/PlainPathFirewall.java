package com.bankaccounts.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's strict firewall, which also refuses a percent-encoded character anywhere in the path. Filters
 * that decide by path (the per-account rate limit, which requests an idempotency key runs outside a transaction, the
 * pages' error answers) read it as sent, while Spring MVC routes it decoded: {@code /%61pi/bank-accounts} reached the
 * create endpoint past the rate limit. No path of this service needs encoding (ids, key names and projection names
 * are letters, digits, {@code _} and {@code -}), so the path a filter reads is the one that is routed.
 */
final class PlainPathFirewall implements HttpFirewall {

    private final StrictHttpFirewall strict = new StrictHttpFirewall();

    PlainPathFirewall() {
        // A method no endpoint takes (PROPFIND, FOO) is Spring MVC's to refuse: 405 with the methods the path takes,
        // where the firewall's refusal said the URL was at fault. Every filter that acts on a method names it.
        strict.setUnsafeAllowAnyHttpMethod(true);
    }

    @Override
    public FirewalledRequest getFirewalledRequest(HttpServletRequest request) throws RequestRejectedException {
        String uri = request.getRequestURI();
        if (uri != null && uri.indexOf('%') >= 0) {
            throw new RequestRejectedException("The request was rejected because the URL path was percent-encoded");
        }
        return strict.getFirewalledRequest(request);
    }

    @Override
    public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
        return strict.getFirewalledResponse(response);
    }
}
