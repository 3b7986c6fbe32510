package com.bankaccounts.platform.axon;

import java.util.function.Function;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

/**
 * Where a pooled streaming processor starts when the token store has none of its tokens yet. Axon's defaults ask the
 * event store: the pooled processor's reads from the beginning marked as a replay up to the store's head, which it
 * asks for. Axon Server answers only once it is reachable, and a processor that cannot make its first token fails the
 * whole start after 3 s (30 tries). A new deployment starts beside Axon Server, not after it. No handler here tells
 * a replayed event from a new one.
 */
public final class FirstToken {

    private FirstToken() {
    }

    /** The first event, without asking the event store: a processor with no token reads from the beginning. */
    public static Function<StreamableMessageSource<TrackedEventMessage<?>>, TrackingToken> beginning() {
        return source -> null;
    }
}
