package com.bankaccounts.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a write request must be on the API, whatever the endpoint does with it, checked before the endpoint runs (its
 * headers before the idempotency filter too, {@link #writeHeaderRulesFilter}): an
 * {@code Accept} that allows JSON (Spring would find out only when writing the answer, after the work was done); a
 * concrete content type (a wildcard such as {@code *}{@code /*} is 415, where Spring would fail reading it with a
 * 500); JSON in UTF-8 (RFC 8259), as the idempotency key's look-up in a body reads it; on an action that reads no
 * body (settle, replay, the disables) a body that is present must still be a JSON object, without fields; a JSON
 * {@code null} is never a body; one {@code Content-Type}; and no {@code Content-Encoding} (415).
 */
@Configuration(proxyBeanMethods = false)
public class RequestBodyRules implements WebMvcConfigurer {

    /**
     * A character that is not white space as {@code @NotBlank} and {@link String#strip} read it
     * ({@link Character#isWhitespace}), spelled out so that Java and JSON Schema (ECMA-262) read the class alike:
     * their {@code \s} differ from it and from each other (no-break space, ideographic space, U+001C to U+001F).
     */
    public static final String NON_WHITESPACE =
            "[^\\t\\n\\x0B\\f\\r\\x1C-\\x20\\u1680\\u2000-\\u2006\\u2008-\\u200A\\u2028\\u2029\\u205F\\u3000]";

    /** For an optional field: absent is fine, but given it must hold more than white space ({@code @Pattern}). */
    public static final String NOT_BLANK = "(?s).*" + NON_WHITESPACE + ".*";
    public static final String NOT_BLANK_MESSAGE = "must not be blank";

    private static final List<MediaType> JSON = List.of(MediaType.APPLICATION_JSON);
    /** What Spring's JSON converter also writes: {@code application/hal+json}, {@code application/vnd.api+json}. */
    private static final MediaType ANY_JSON = new MediaType("application", "*+json");
    /** Right after Spring Security's filters (a request without a key is 401 first), before the idempotency filter. */
    public static final int HEADER_RULES_ORDER = SecurityFilterProperties.DEFAULT_FILTER_ORDER + 40;
    public static final String NOT_UTF_8 = "request body must be JSON in UTF-8";
    public static final String NOT_UTF_8_CONTENT_TYPE = "content type must be application/json in UTF-8";
    public static final String CONTENT_TYPE_TWICE = "Content-Type must be given once (two different types were sent)";
    public static final String ENCODED = "request body must not be compressed: Content-Encoding is not supported";

    private final JsonMapper jsonMapper;

    public RequestBodyRules(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                    throws Exception {
                checkBody(request, handler);
                return true;
            }
        }).addPathPatterns("/api/**");
    }

    /**
     * The rules of a write's headers, in a filter: before the idempotency filter, which reads the body and may answer
     * a retry from its store, and which must refuse what a first request is refused (a gzip body, an Accept without
     * JSON) rather than replay an answer to it or compare its compressed bytes. A path and method no endpoint takes
     * is answered by Spring MVC as before (404, or 405 with the path's {@code Allow}): the route is looked up only
     * for a request refused here, so a write that passes pays nothing for it.
     */
    @Bean
    public FilterRegistrationBean<OncePerRequestFilter> writeHeaderRulesFilter(
            @Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> resolver,
            @Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> routes) {
        FilterRegistrationBean<OncePerRequestFilter> registration =
                new FilterRegistrationBean<>(new OncePerRequestFilter() {
                    @Override
                    protected boolean shouldNotFilter(HttpServletRequest request) {
                        return !isWrite(request);
                    }

                    @Override
                    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                                    FilterChain chain) throws ServletException, IOException {
                        try {
                            checkHeaders(request);
                        } catch (Exception refused) {
                            Exception answered = refusal(request, routes.getObject(), refused);
                            if (answered != null) {
                                answer(request, response, answered, resolver.getObject());
                                return;
                            }
                        }
                        chain.doFilter(request, response);
                    }
                });
        registration.addUrlPatterns("/api/*");
        registration.setOrder(HEADER_RULES_ORDER);
        return registration;
    }

    /**
     * What a request the rules refused is answered, as when they ran after routing: routing's own refusal of its
     * types (an upload's 415 names multipart/form-data), else the rules'; null when no endpoint takes this method at
     * this path, which Spring MVC answers (404, or 405 with the path's {@code Allow}).
     */
    private static Exception refusal(HttpServletRequest request, RequestMappingHandlerMapping routes,
                                     Exception refused) {
        try {
            return routes.getHandler(request) != null ? refused : null;
        } catch (HttpMediaTypeNotSupportedException | HttpMediaTypeNotAcceptableException typeRefused) {
            return typeRefused;
        } catch (Exception noRoute) {
            return null;
        }
    }

    /** Answered as the endpoints' own refusals are, by the API's exception handler. */
    private static void answer(HttpServletRequest request, HttpServletResponse response, Exception refused,
                               HandlerExceptionResolver resolver) throws ServletException {
        if (refused instanceof ApiException api && ENCODED.equals(api.getMessage())) {
            // RFC 9110, 8.4 and 12.5.3: 415, naming the codings taken.
            response.setHeader(HttpHeaders.ACCEPT_ENCODING, "identity");
        }
        if (resolver.resolveException(request, response, null, refused) == null) {
            throw new ServletException(refused);
        }
    }

    private static boolean isWrite(HttpServletRequest request) {
        String method = request.getMethod();
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    private static void checkHeaders(HttpServletRequest request) throws Exception {
        acceptsJson(request);
        if (Collections.list(request.getHeaders(HttpHeaders.CONTENT_TYPE)).stream().distinct().count() > 1) {
            // Tomcat reads the first; a proxy in front may read the last, as another type or charset.
            throw ApiException.badRequest(CONTENT_TYPE_TWICE);
        }
        if (encoded(request)) {
            throw ApiException.unsupportedMediaType(ENCODED);
        }
        MediaType contentType = contentType(request);
        if (contentType != null && isJson(contentType)) {
            Charset charset = contentType.getCharset();
            if (charset != null && !StandardCharsets.UTF_8.equals(charset)
                    && !StandardCharsets.US_ASCII.equals(charset)) {
                throw ApiException.unsupportedMediaType(NOT_UTF_8_CONTENT_TYPE);
            }
        }
    }

    private void checkBody(HttpServletRequest request, Object handler) throws Exception {
        if (!isWrite(request)) {
            return;
        }
        if (handler instanceof HandlerMethod handlerMethod && readsNoBody(handlerMethod) && hasBody(request)) {
            MediaType contentType = contentType(request);
            if (contentType == null || !isJson(contentType)) {
                throw new HttpMediaTypeNotSupportedException(contentType, JSON,
                        HttpMethod.valueOf(request.getMethod()));
            }
            JsonNode body;
            try {
                body = jsonMapper.readTree(new Utf8Only(request.getInputStream()));
            } catch (JacksonException | PayloadTooLargeException e) {
                // Answered as a body an endpoint reads would be: a key given twice is named as such.
                throw new HttpMessageNotReadableException(e.getMessage(), e, new ServletServerHttpRequest(request));
            }
            if (body != null && !body.isMissingNode() && !body.isObject()) {
                throw ApiException.badRequest("request body must be a JSON object");
            }
            // It takes no field, as an endpoint refuses one it does not take: {"dryRun": true} would run for real.
            Optional<String> field = body == null ? Optional.empty() : body.propertyNames().stream()
                    .filter(name -> !IdempotencyKeyFieldAllowed.FIELD.equals(name)).findFirst();
            if (field.isPresent()) {
                throw ApiException.badRequest(ApiExceptionHandler.unknownField(field.get(), "no field"));
            }
        }
    }

    /**
     * A {@code Content-Encoding} other than {@code identity}: nothing here decodes one, so a gzip body would be read as
     * its compressed bytes, and a plain body declared gzip would be taken as it is where a proxy decoding it would not.
     */
    private static boolean encoded(HttpServletRequest request) {
        for (String codings : Collections.list(request.getHeaders(HttpHeaders.CONTENT_ENCODING))) {
            for (String coding : codings.split(",")) {
                if (!coding.isBlank() && !coding.strip().equalsIgnoreCase("identity")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * An {@code Accept} that does not parse or allows no JSON is refused (406) as Spring would refuse it, and one
     * whose most specific range for JSON has a quality of 0 ({@code text/html, *}{@code /*;q=0}) too, which Spring
     * reads as allowing it (RFC 9110, 12.5.1: "not acceptable").
     */
    private static void acceptsJson(HttpServletRequest request) throws HttpMediaTypeNotAcceptableException {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null || accept.isBlank()) {
            return;
        }
        List<MediaType> acceptable;
        try {
            acceptable = MediaType.parseMediaTypes(Collections.list(request.getHeaders(HttpHeaders.ACCEPT)));
        } catch (InvalidMediaTypeException e) {
            throw new HttpMediaTypeNotAcceptableException("Accept does not parse");
        }
        MediaType mostSpecific = null;
        for (MediaType type : acceptable) {
            if ((type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.isCompatibleWith(ANY_JSON))
                    && (mostSpecific == null || specificity(type) > specificity(mostSpecific))) {
                mostSpecific = type;
            }
        }
        if (mostSpecific == null || mostSpecific.getQualityValue() == 0) {
            throw new HttpMediaTypeNotAcceptableException(JSON);
        }
    }

    /** {@code *}{@code /*} 0, {@code application/*} or {@code application/*+json} 1, a type of its own 2. */
    private static int specificity(MediaType type) {
        return type.isWildcardType() ? 0 : type.isWildcardSubtype() ? 1 : 2;
    }

    /** The request's content type; a wildcard or one that does not parse is refused as unsupported (415). */
    private static MediaType contentType(HttpServletRequest request) throws HttpMediaTypeNotSupportedException {
        String header = request.getContentType();
        if (header == null) {
            return null;
        }
        MediaType contentType;
        try {
            contentType = MediaType.parseMediaType(header);
        } catch (InvalidMediaTypeException e) {
            throw new HttpMediaTypeNotSupportedException("content type does not parse");
        }
        if (contentType.isWildcardType() || contentType.isWildcardSubtype()) {
            throw new HttpMediaTypeNotSupportedException(contentType, JSON, HttpMethod.valueOf(request.getMethod()));
        }
        return contentType;
    }

    private static boolean isJson(MediaType contentType) {
        return MediaType.APPLICATION_JSON.isCompatibleWith(contentType)
                || "json".equals(contentType.getSubtypeSuffix());
    }

    /** No JSON body, no form or multipart fields: what is sent would be dropped unread. */
    private static boolean readsNoBody(HandlerMethod handler) {
        return Arrays.stream(handler.getMethodParameters()).noneMatch(parameter ->
                parameter.hasParameterAnnotation(RequestBody.class) || parameter.hasParameterAnnotation(RequestPart.class)
                        || parameter.hasParameterAnnotation(RequestParam.class));
    }

    private static boolean hasBody(HttpServletRequest request) throws IOException {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** An optional body given as JSON {@code null} is not an absent body: it is refused, not read as none. */
    @ControllerAdvice
    static class NullBodyRefusal extends RequestBodyAdviceAdapter {

        @Override
        public boolean supports(MethodParameter parameter, Type targetType,
                                Class<? extends HttpMessageConverter<?>> converterType) {
            return true;
        }

        /**
         * JSON in UTF-16 or UTF-32 (which Jackson would detect and read) is refused, its NUL bytes giving it away, and
         * so is a body with bytes that are no UTF-8.
         */
        @Override
        public HttpInputMessage beforeBodyRead(HttpInputMessage inputMessage, MethodParameter parameter,
                                               Type targetType,
                                               Class<? extends HttpMessageConverter<?>> converterType) {
            MediaType contentType = inputMessage.getHeaders().getContentType();
            if (contentType == null || !isJson(contentType)) {
                return inputMessage;
            }
            // JSON is UTF-8 whatever its label (RFC 8259): one labelled US-ASCII is read as UTF-8 too, where Spring
            // would decode it as ASCII, each byte of an "é" a U+FFFD.
            HttpHeaders headers = inputMessage.getHeaders();
            if (StandardCharsets.US_ASCII.equals(contentType.getCharset())) {
                headers = new HttpHeaders();
                headers.addAll(inputMessage.getHeaders());
                headers.setContentType(new MediaType(contentType, StandardCharsets.UTF_8));
            }
            HttpHeaders read = headers;
            return new HttpInputMessage() {
                @Override
                public InputStream getBody() throws IOException {
                    return new Utf8Only(inputMessage.getBody());
                }

                @Override
                public HttpHeaders getHeaders() {
                    return read;
                }
            };
        }

        @Override
        public Object afterBodyRead(Object body, HttpInputMessage inputMessage, MethodParameter parameter,
                                    Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
            if (body == null) {
                throw ApiException.badRequest("request body must be a JSON object");
            }
            return body;
        }
    }

    /**
     * Refuses what is not UTF-8 as it is read (RFC 3629): a NUL byte, which JSON text in UTF-8 never has (a control
     * character in a string must be escaped) while JSON in UTF-16 or UTF-32 has one beside every ASCII character;
     * and a byte sequence that is no UTF-8, overlong forms above all, which Jackson would read as the ASCII they
     * spell ({@code C0 A2} a quote), where a strict proxy in front would read other keys and values.
     */
    static final class Utf8Only extends FilterInputStream {

        /** Continuation bytes the current character still needs, and the range its next one must be in. */
        private int pending;
        private int low = 0x80;
        private int high = 0xBF;

        Utf8Only(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                ended();
            } else {
                check(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n < 0) {
                ended();
            }
            for (int i = offset; i < offset + n; i++) {
                check(buffer[i] & 0xFF);
            }
            return n;
        }

        private void check(int b) throws NotUtf8Exception {
            if (pending > 0) {
                if (b < low || b > high) {
                    throw new NotUtf8Exception();
                }
                pending--;
                low = 0x80;
                high = 0xBF;
            } else if (b == 0) {
                throw new NotUtf8Exception();
            } else if (b >= 0x80) {
                // The lead byte: C0, C1 and E0 or F0 with a low second byte are overlong; ED A0 and up a surrogate;
                // F4 90 and up, and F5 to FF, past U+10FFFF.
                if (b >= 0xC2 && b <= 0xDF) {
                    pending = 1;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    pending = 2;
                    low = b == 0xE0 ? 0xA0 : 0x80;
                    high = b == 0xED ? 0x9F : 0xBF;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    pending = 3;
                    low = b == 0xF0 ? 0x90 : 0x80;
                    high = b == 0xF4 ? 0x8F : 0xBF;
                } else {
                    throw new NotUtf8Exception();
                }
            }
        }

        /** Nothing read may be read again unchecked, or skipped unchecked. */
        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = 0;
            while (skipped < n && read() >= 0) {
                skipped++;
            }
            return skipped;
        }

        /** A character cut off by the body's end. */
        private void ended() throws NotUtf8Exception {
            if (pending > 0) {
                throw new NotUtf8Exception();
            }
        }
    }

    /** An I/O failure to Jackson, so Spring answers it as an unreadable body; {@link ApiExceptionHandler} names it. */
    static final class NotUtf8Exception extends IOException {

        NotUtf8Exception() {
            super(NOT_UTF_8, null);
        }
    }
}
