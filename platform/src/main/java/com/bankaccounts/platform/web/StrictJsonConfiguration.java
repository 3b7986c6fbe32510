package com.bankaccounts.platform.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * JSON of the wrong type is a client error: no number-to-string, string-to-boolean or fraction-to-whole-number
 * guessing; no string with a NUL character, which the database cannot store; and no object with a key given twice,
 * which parsers disagree on (the last one wins here, the first elsewhere: a proxy or a signature check could read
 * another request). A field the endpoint does not take is refused too: a misspelt optional one ({@code "tset": true})
 * would otherwise make a live resource where a test one was meant.
 */
@Configuration(proxyBeanMethods = false)
@Import(JsonOnlyConfiguration.class)
public class StrictJsonConfiguration {

    @Bean
    public JsonMapperBuilderCustomizer strictScalarTypes() {
        return builder -> builder
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addHandler(new IdempotencyKeyFieldAllowed())
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                // 1.5 for a whole number is refused, not cut to 1.
                .withCoercionConfig(LogicalType.Integer, config -> config
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .addModule(new SimpleModule("no-nul-strings").addDeserializer(String.class, new NoNulStringDeserializer()));
    }
}
