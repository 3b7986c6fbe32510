package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * The token store's serializer must read back the tokens that streaming processors (a query-side process on its own,
 * a replay) write, or those processors cannot start.
 */
class AxonSerializationTest extends ApiTestSupport {

    @Autowired
    @Qualifier("serializer")
    private Serializer serializer;

    @Test
    void replayTokensSurviveTheTokenStoreSerializer() {
        TrackingToken token = ReplayToken.createReplayToken(GapAwareTrackingToken.newInstance(42, List.of(40L, 41L)),
                GapAwareTrackingToken.newInstance(7, List.of()));
        SerializedObject<byte[]> stored = serializer.serialize(token, byte[].class);
        TrackingToken read = serializer.deserialize(stored);
        assertThat(read).isEqualTo(token);
    }

    @Test
    void gapAwareTokensSurviveTheTokenStoreSerializer() {
        TrackingToken token = GapAwareTrackingToken.newInstance(99, List.of(97L));
        assertThat((TrackingToken) serializer.deserialize(serializer.serialize(token, byte[].class))).isEqualTo(token);
    }
}
