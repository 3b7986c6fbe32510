package com.bankaccounts.platform.operations;

import com.bankaccounts.api.common.Uuids;
import com.bankaccounts.platform.security.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Gives every request an id, in the MDC ({@code requestId}) for each log line written while it runs and in the
 * {@code X-Request-Id} answer header, and writes one access log line when it ends: method, route template, status,
 * duration, account and request id. Never the query string or a header, so never a key or a code. First of all
 * filters, so Spring Security's lines carry the id too. A W3C {@code traceparent} header's trace id goes into the MDC
 * too ({@code traceId}), so a line can be found from a trace; no span is started or propagated.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestLogFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    public static final String TRACE_ID_MDC_KEY = "traceId";

    private static final Logger access = LoggerFactory.getLogger("access");
    /** A caller's own id (from a proxy, say) is kept only if it cannot forge a log line. */
    private static final Pattern ACCEPTED_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /** version-traceid-parentid-flags; an all-zero trace id is invalid (W3C Trace Context). */
    private static final Pattern TRACEPARENT =
            Pattern.compile("[0-9a-f]{2}-(?!0{32})([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");

    private final RequestAttributeSecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();
    private final ObjectProvider<RequestMappingHandlerMapping> routes;

    public RequestLogFilter(@Qualifier("requestMappingHandlerMapping")
                            ObjectProvider<RequestMappingHandlerMapping> routes) {
        this.routes = routes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = requestId(request.getHeader(HEADER));
        long started = System.nanoTime();
        MDC.put(MDC_KEY, id);
        String traceId = traceId(request.getHeader("traceparent"));
        if (traceId != null) {
            MDC.put(TRACE_ID_MDC_KEY, traceId);
        }
        response.setHeader(HEADER, id);
        try {
            chain.doFilter(request, response);
        } finally {
            if (access.isInfoEnabled()) {
                logAccess(request, response, (System.nanoTime() - started) / 1_000_000);
            }
            MDC.remove(MDC_KEY);
            MDC.remove(TRACE_ID_MDC_KEY);
        }
    }

    private void logAccess(HttpServletRequest request, HttpServletResponse response, long millis) {
        String method = request.getMethod();
        int status = response.getStatus();
        String route = route(request, status);
        String account = account(request);
        access.atInfo()
                .addKeyValue("http.method", method)
                .addKeyValue("http.route", route)
                .addKeyValue("http.status", status)
                .addKeyValue("duration.ms", millis)
                .addKeyValue("account", account)
                .log("{} {} {} {}ms account={}", method, route, status, millis, account);
    }

    /** The caller's own id if it is 1 to 128 of {@code [A-Za-z0-9._-]} (so it cannot forge a log line), else a new one. */
    public static String requestId(String presented) {
        return presented != null && ACCEPTED_ID.matcher(presented).matches() ? presented : newRequestId();
    }

    /**
     * A version 4 UUID from the thread's plain generator. A request id has to be unique, not secret (a caller may send
     * its own), and the strong generator cost 1.5% of a GET's CPU.
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Uuids.version4(random.nextLong(), random.nextLong()).toString();
    }

    private static String traceId(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        Matcher matcher = TRACEPARENT.matcher(traceparent.strip());
        return matcher.matches() ? matcher.group(1) : null;
    }

    /**
     * The matched template ({@code /api/bank-accounts/{id}}), never the path with its ids; unmatched: "unmatched". A
     * request a filter answered (a 401, 429, or an idempotent replay or conflict) never reached the handler mapping,
     * so it is asked here, once the answer is written.
     */
    private String route(HttpServletRequest request, int status) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (pattern == null && status != HttpStatus.NOT_FOUND.value()) {
            RequestMappingHandlerMapping mapping = routes.getIfAvailable();
            try {
                if (mapping != null && mapping.getHandler(request) != null) {
                    pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
                }
            } catch (Exception noRoute) {
                // A path the API has, but not for this method or content type: no one template to name.
            }
        }
        return pattern == null ? "unmatched" : pattern.toString();
    }

    /** The account that called ("admin" for the admin key), "-" when no key authenticated the request. */
    private String account(HttpServletRequest request) {
        Authentication authentication = contexts.loadDeferredContext(request).get().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
            return caller.admin() ? "admin" : caller.accountId();
        }
        return "-";
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return true;
    }
}
