package com.bankaccounts.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Query and url-encoded form parameters are parsed here, before any other filter or controller asks for one, so that
 * what the container cannot decode (a bad %-escape, invalid UTF-8) or the security firewall would refuse only when a
 * parameter is first read (a control character in a name) answers 400 in the error format, and a NUL character, which
 * PostgreSQL cannot store, never reaches a controller; nor does a parameter given twice. JSON bodies are checked by
 * {@link NoNulStringDeserializer}.
 */
public class ParameterRulesFilter extends OncePerRequestFilter {

    private static final int MAX_NAME_SHOWN = 64;

    private final ErrorResponses errors;
    private final String formTooLarge;

    /** @param maxFormSize Tomcat's {@code maxPostSize}: a larger form is left unparsed */
    public ParameterRulesFilter(ErrorResponses errors, DataSize maxFormSize) {
        this.errors = errors;
        this.formTooLarge = "form body must not exceed " + maxFormSize.toBytes() + " bytes";
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query != null || isForm(request)) {
            Map<String, String[]> parameters;
            try {
                // Tomcat would parse a multipart body with the query, before the request is authenticated.
                parameters = isMultipart(request) ? queryParameters(query) : request.getParameterMap();
            } catch (IllegalStateException | IllegalArgumentException e) {
                // Tomcat's InvalidParameterException: it would be thrown again at every later read.
                if (e instanceof InvalidParameterException invalid
                        && invalid.getErrorCode() == HttpStatus.PAYLOAD_TOO_LARGE.value()) {
                    errors.write(response, HttpStatus.PAYLOAD_TOO_LARGE, formTooLarge);
                    return;
                }
                errors.write(response, HttpStatus.BAD_REQUEST,
                        "request parameters are not valid: a bad %-escape or invalid UTF-8");
                return;
            }
            String refusal = refusal(parameters, !request.getRequestURI().startsWith("/actuator/"));
            if (refusal != null) {
                errors.write(response, HttpStatus.BAD_REQUEST, refusal);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /**
     * The security firewall refuses a name with a control character (when it is read); values may hold any. Every
     * parameter here takes one value: Spring would join a repeated one with commas (a console decline's reason "a,b",
     * kept in its event for good), and the query's and the form's copies of a name are one parameter. The actuator's
     * take several ({@code /actuator/prometheus?includedNames=a&includedNames=b}).
     */
    private static String refusal(Map<String, String[]> parameters, boolean singleValued) {
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            if (name.indexOf('\0') >= 0
                    || Arrays.stream(parameter.getValue()).anyMatch(value -> value.indexOf('\0') >= 0)) {
                return "parameters must not contain NUL characters";
            }
            if (!name.codePoints().allMatch(c -> Character.isDefined(c) && !Character.isISOControl(c))) {
                return "parameter names must not contain control characters";
            }
        }
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            if (singleValued && parameter.getValue().length > 1) {
                String name = parameter.getKey();
                return name.length() <= MAX_NAME_SHOWN
                        ? "parameter '" + name + "' must be given once" : "parameters must each be given once";
            }
        }
        return null;
    }

    /** The query's parameters decoded as Tomcat decodes them (UTF-8, {@code +} a space), strictly: bad input throws. */
    private static Map<String, String[]> queryParameters(String query) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            }
        }
        Map<String, String[]> decoded = new LinkedHashMap<>();
        parameters.forEach((name, values) -> decoded.put(name, values.toArray(String[]::new)));
        return decoded;
    }

    private static String decode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
                if (low < 0) {
                    throw new IllegalArgumentException("bad %-escape");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c == '+' ? ' ' : c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StrictUtf8.decode(bytes.toByteArray());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid UTF-8", e);
        }
    }

    private static boolean isMultipart(HttpServletRequest request) {
        String contentType = request.getContentType();
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    private static boolean isForm(HttpServletRequest request) {
        String contentType = request.getContentType();
        // Multipart fields are left to their controller: parsing them here would meet upload limits outside MVC.
        return contentType != null && contentType.startsWith("application/x-www-form-urlencoded");
    }
}
