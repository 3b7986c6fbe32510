package com.bankaccounts.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a request body must be on the API, whatever the endpoint does with it: a concrete content type (a wildcard such
 * as {@code *}{@code /*} is 415, where Spring would fail reading it with a 500); on an action that reads no body
 * (settle, replay) a body that is present must still be a JSON object; and a JSON {@code null} is never a body.
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
                check(request, handler);
                return true;
            }
        }).addPathPatterns("/api/**");
    }

    private void check(HttpServletRequest request, Object handler) throws Exception {
        HttpMethod method = HttpMethod.valueOf(request.getMethod());
        if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
            return;
        }
        MediaType contentType = contentType(request);
        if (handler instanceof HandlerMethod handlerMethod && readsNoBody(handlerMethod) && hasBody(request)) {
            if (contentType == null || !isJson(contentType)) {
                throw new HttpMediaTypeNotSupportedException(contentType, JSON, method);
            }
            JsonNode body;
            try {
                body = jsonMapper.readTree(request.getInputStream());
            } catch (JacksonException | PayloadTooLargeException e) {
                // Answered as a body an endpoint reads would be: a key given twice is named as such.
                throw new HttpMessageNotReadableException(e.getMessage(), e, new ServletServerHttpRequest(request));
            }
            if (body != null && !body.isMissingNode() && !body.isObject()) {
                throw ApiException.badRequest("request body must be a JSON object");
            }
        }
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

        @Override
        public Object afterBodyRead(Object body, HttpInputMessage inputMessage, MethodParameter parameter,
                                    Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
            if (body == null) {
                throw ApiException.badRequest("request body must be a JSON object");
            }
            return body;
        }
    }
}
