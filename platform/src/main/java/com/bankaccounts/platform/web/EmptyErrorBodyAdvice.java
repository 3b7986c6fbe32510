package com.bankaccounts.platform.web;

import com.bankaccounts.api.common.ErrorCode;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * An error answered with no body gets the error format's. The actuator answers a health part it does not show
 * ({@code /actuator/health/x}, or a component without the admin key) with a bare 404, as a value, not an exception,
 * so no exception handler sees it. Only the actuator's handlers are advised: this service's own never answer so, and
 * their answers need not pass one more advice.
 */
@ControllerAdvice(basePackages = "org.springframework.boot.webmvc.actuate")
class EmptyErrorBodyAdvice implements ResponseBodyAdvice<Object> {

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        // Only a JSON writer can take the error body in place of the answer's own type (a page's String).
        return JacksonJsonHttpMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
                                  ServerHttpResponse response) {
        if (body != null || !(response instanceof ServletServerHttpResponse servlet)) {
            return body;
        }
        HttpStatus status = HttpStatus.resolve(servlet.getServletResponse().getStatus());
        if (status == null || !status.isError()) {
            return body;
        }
        // As every error body is typed, not as the actuator's own vendor type.
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        return ErrorBody.of(status, status == HttpStatus.NOT_FOUND ? ErrorCode.NOT_FOUND.name() : status.getReasonPhrase());
    }
}
