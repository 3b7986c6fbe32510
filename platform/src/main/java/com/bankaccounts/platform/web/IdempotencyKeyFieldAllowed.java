package com.bankaccounts.platform.web;

import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.DeserializationProblemHandler;

/**
 * A body's top-level {@code idempotencyKey} is the idempotency filter's, read before the endpoint and no field of
 * its request: passed over here, where every other field an endpoint does not take is refused.
 */
public class IdempotencyKeyFieldAllowed extends DeserializationProblemHandler {

    public static final String FIELD = "idempotencyKey";

    @Override
    public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
                                         ValueDeserializer<?> deserializer, Object beanOrClass, String propertyName) {
        if (!FIELD.equals(propertyName) || !inTopLevelObject(parser)) {
            return false;
        }
        parser.skipChildren();
        return true;
    }

    /** The parser is at the field's value; an object or array value has opened a context of its own. */
    private static boolean inTopLevelObject(JsonParser parser) {
        TokenStreamContext object = parser.streamReadContext();
        if (parser.currentToken() != null && parser.currentToken().isStructStart()) {
            object = object.getParent();
        }
        return object != null && object.getParent() != null && object.getParent().inRoot();
    }
}
