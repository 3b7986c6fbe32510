package com.bankaccounts.platform.web;

import jakarta.servlet.http.HttpServletResponse;
import com.bankaccounts.api.common.ErrorCode;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes an error body where no controller runs: in filters and for the container's own errors. */
@Component
public class ErrorResponses {

    private final JsonMapper jsonMapper;

    public ErrorResponses(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    public void write(HttpServletResponse response, HttpStatus status, ErrorCode code) throws IOException {
        write(response, status, code.name());
    }

    /** For free-text messages (bad input); a code goes through {@link #write(HttpServletResponse, HttpStatus, ErrorCode)}. */
    public void write(HttpServletResponse response, HttpStatus status, String message) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        noStoreNoSniff(response);
        jsonMapper.writeValue(response.getOutputStream(), ErrorBody.of(status, message));
    }

    /**
     * What Spring Security's header writer adds to every answer, for the answers written before it runs (the firewall's
     * refusals, the filters in front of the security chain).
     */
    public static void noStoreNoSniff(HttpServletResponse response) {
        if (!response.containsHeader(HttpHeaders.CACHE_CONTROL)) {
            // The values Spring Security writes, which it then leaves alone.
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate");
            response.setHeader(HttpHeaders.PRAGMA, "no-cache");
            response.setHeader(HttpHeaders.EXPIRES, "0");
        }
        if (!response.containsHeader("X-Content-Type-Options")) {
            response.setHeader("X-Content-Type-Options", "nosniff");
        }
    }
}
