package com.bankaccounts.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses query or url-encoded form parameters carrying a NUL character (which PostgreSQL cannot store) before they reach a
 * controller; JSON bodies are checked by {@link NoNulStringDeserializer}.
 */
public class NulParameterFilter extends OncePerRequestFilter {

    private final ErrorResponses errors;

    public NulParameterFilter(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        boolean nul = query != null && query.toLowerCase(Locale.ROOT).contains("%00");
        if (!nul && isForm(request)) {
            nul = request.getParameterMap().values().stream()
                    .anyMatch(values -> Arrays.stream(values).anyMatch(value -> value.indexOf('\0') >= 0));
        }
        if (nul) {
            errors.write(response, HttpStatus.BAD_REQUEST, "parameters must not contain NUL characters");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isForm(HttpServletRequest request) {
        String contentType = request.getContentType();
        // Multipart fields are left to their controller: parsing them here would meet upload limits outside MVC.
        return contentType != null && contentType.startsWith("application/x-www-form-urlencoded");
    }
}
