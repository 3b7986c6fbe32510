package com.bankaccounts.platform.web;

import com.bankaccounts.platform.operations.RequestLogFilter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own refusals, made before any filter runs (a control byte in a header, {@code %00}, {@code %2F},
 * {@code %zz} or invalid UTF-8 in the path, an over-long URL), answer the error format instead of Tomcat's HTML page,
 * with a request id. Errors the application answered itself are left as they are, as by the valve it replaces.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    private static final Set<String> STANDARD_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH");
    private static final String SERVLET_METHODS = "HEAD, DELETE, POST, GET, OPTIONS, PUT";
    static final String UNSUPPORTED_VERSION = "HTTP version is not supported (only HTTP/1.0 and 1.1)";

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String message = null;
        // What Tomcat refuses as not implemented is the client's doing, and a client never gets a 5xx: a method the
        // servlet API does not know (CONNECT), a transfer coding Tomcat does not (only chunked), an HTTP version.
        if (code == 501) {
            boolean standard = STANDARD_METHODS.contains(request.getMethod());
            code = standard ? 400 : 405;
            message = standard ? "Transfer-Encoding is not supported (only chunked)"
                    : "method is not supported here";
            response.setStatus(code);
            if (!standard && response.getHeader(HttpHeaders.ALLOW) == null) {
                // What a TRACE, the other method every path refuses, is answered with by Tomcat.
                response.setHeader(HttpHeaders.ALLOW, SERVLET_METHODS);
            }
        } else if (code == 505) {
            code = 400;
            message = UNSUPPORTED_VERSION;
            response.setStatus(code);
        }
        write(request, response, code, message);
    }

    /** Answers the error format, with a request id: {@code message} null for the status's usual words. */
    static void write(Request request, Response response, int code, String message) {
        HttpStatus status = HttpStatus.resolve(code);
        String error = status == null ? "Error" : status.getReasonPhrase();
        if (message == null) {
            message = switch (code) {
                case 400 -> "request is not valid HTTP or its URL is not allowed";
                case 404 -> "NOT_FOUND";
                case 500 -> "INTERNAL_ERROR";
                default -> error;
            };
        }
        String requestId = response.getHeader(RequestLogFilter.HEADER);
        if (requestId == null) {
            requestId = RequestLogFilter.requestId(request.getHeader(RequestLogFilter.HEADER));
            response.setHeader(RequestLogFilter.HEADER, requestId);
        }
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            ErrorResponses.noStoreNoSniff(response);
            Writer writer = response.getReporter();
            if (writer != null) {
                // Every value is ASCII from this class or matched [A-Za-z0-9._-]: nothing to escape.
                writer.write("{\"statusCode\":" + code + ",\"error\":\"" + error + "\",\"message\":\"" + message
                        + "\",\"requestId\":\"" + requestId + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response cannot be written: nothing more to say.
        }
    }
}
