package com.bankaccounts.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * A set of browser pages (the sandbox bank's, the admin console's) that answers a path or method it does not have,
 * or a thing it cannot find, with a page in its own look and a way back, where the API answers in its error format.
 */
public interface ErrorPages {

    /** Whether the request is for one of these pages. */
    boolean covers(HttpServletRequest request);

    /** {@code status}: 404 or 405. */
    ResponseEntity<String> errorPage(HttpStatus status, HttpServletRequest request);
}
