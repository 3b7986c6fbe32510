package com.bankaccounts.platform.web;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.operations.RequestLogFilter;
import com.bankaccounts.platform.security.PageSecurity;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised by the container itself (before any controller) still answer in the error format, or with the page
 * of a set of browser pages for a 404 or 405 of one of them ({@link ErrorPages}). Such a request may never have
 * passed the filters (Tomcat refuses TRACE before them), so its id and headers are given here.
 */
@RestController
public class ContainerErrorController implements ErrorController {

    private final List<ErrorPages> pages;

    ContainerErrorController(List<ErrorPages> pages) {
        this.pages = pages;
    }

    @RequestMapping("/error")
    ResponseEntity<?> error(HttpServletRequest request, HttpServletResponse response) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.valueOf(value)
                // Not an error dispatch: someone asked for /error itself, a path like any unknown one.
                : code == null ? HttpStatus.NOT_FOUND : HttpStatus.INTERNAL_SERVER_ERROR;
        String message = switch (status) {
            case NOT_FOUND -> ErrorCode.NOT_FOUND.name();
            // An error dispatch is a GET: the refused method (TRACE) is not known here.
            case METHOD_NOT_ALLOWED -> "method is not supported here";
            case INTERNAL_SERVER_ERROR -> ErrorCode.INTERNAL_ERROR.name();
            default -> status.getReasonPhrase();
        };
        String requestId = MDC.get(RequestLogFilter.MDC_KEY);
        if (requestId == null) {
            requestId = response.getHeader(RequestLogFilter.HEADER);
        }
        if (requestId == null) {
            requestId = RequestLogFilter.requestId(request.getHeader(RequestLogFilter.HEADER));
        }
        response.setHeader(RequestLogFilter.HEADER, requestId);
        ErrorResponses.noStoreNoSniff(response);
        // A page's own 404 or 405 (a TRACE of a page, refused by Tomcat), with the headers its chain would write:
        // this dispatch, to /error, passes no page's chain.
        if ((status == HttpStatus.NOT_FOUND || status == HttpStatus.METHOD_NOT_ALLOWED)
                && request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String path) {
            Optional<ErrorPages> set = ErrorPages.covering(pages, path);
            if (set.isPresent()) {
                ResponseEntity<String> page = set.get().errorPage(status);
                return ResponseEntity.status(page.getStatusCode()).headers(page.getHeaders())
                        .headers(PageSecurity.headers(set.get().contentSecurityPolicy())).body(page.getBody());
            }
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorBody(status.value(), status.getReasonPhrase(), message, null, requestId));
    }
}
