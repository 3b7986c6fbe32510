package com.bankaccounts.platform.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * A request line without a version is HTTP/0.9, which Tomcat still serves: the answer has no status line and no
 * headers (no request id, no {@code nosniff}, no caching rule), and whatever the path gives is sent bare. Refused as
 * any other version but 1.0 and 1.1 is ({@link JsonErrorReportValve}), before the application: the error's body is
 * all HTTP/0.9 can carry. In the context's pipeline, not the engine's, so that the host's error valve has passed on
 * and Tomcat has mapped the request; written here, since a {@code sendError} would be dispatched to {@code /error}.
 */
class Http09RefusalValve extends ValveBase {

    Http09RefusalValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        String protocol = request.getProtocol();
        if (protocol == null || protocol.isEmpty() || "HTTP/0.9".equals(protocol)) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            JsonErrorReportValve.write(request, response, HttpServletResponse.SC_BAD_REQUEST,
                    JsonErrorReportValve.UNSUPPORTED_VERSION);
            return;
        }
        getNext().invoke(request, response);
    }
}
