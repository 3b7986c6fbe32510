package com.bankaccounts.platform.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;

/**
 * PostgreSQL cannot store a NUL character in text, and a lone UTF-16 surrogate ({@code "\ud800"}) is no character at
 * all: stored, it would come back as {@code ?}, unlike the answer that acknowledged it. Either is bad input.
 */
class NoNulStringDeserializer extends StringDeserializer {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
        String value = super.deserialize(parser, context);
        if (value != null && value.indexOf('\0') >= 0) {
            throw context.weirdStringException(value, String.class, "contains a NUL character");
        }
        if (value != null && hasUnpairedSurrogate(value)) {
            throw context.weirdStringException(value, String.class, "is not valid Unicode (an unpaired surrogate)");
        }
        return value;
    }

    static boolean hasUnpairedSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
