package com.bankaccounts.platform.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The API reads and writes JSON only. springdoc brings Jackson's YAML module along (for {@code /v3/api-docs.yaml},
 * which it writes itself); with it on the classpath Spring would also read YAML bodies, past the strict JSON rules
 * ({@link StrictJsonConfiguration}), and answer YAML to a client asking for it.
 */
@Configuration(proxyBeanMethods = false)
public class JsonOnlyConfiguration implements WebMvcConfigurer {

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConvertersList(converters -> converters.removeIf(converter ->
                converter.getSupportedMediaTypes().stream().anyMatch(type -> type.getSubtype().contains("yaml"))));
    }
}
