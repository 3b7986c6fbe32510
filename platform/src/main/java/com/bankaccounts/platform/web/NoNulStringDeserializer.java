package com.bankaccounts.platform.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;

/** PostgreSQL cannot store a NUL character in text; a string carrying one is bad input, refused as such. */
class NoNulStringDeserializer extends StringDeserializer {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
        String value = super.deserialize(parser, context);
        if (value != null && value.indexOf('\0') >= 0) {
            throw context.weirdStringException(value, String.class, "contains a NUL character");
        }
        return value;
    }
}
