package com.bankaccounts.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.junit.jupiter.api.Test;

/** Meta data as the application's Axon serializer writes and reads it (with {@link MetaDataReader}). */
class MetaDataReaderTest {

    private final Jackson3Serializer serializer = Jackson3Serializer.builder()
            .jsonMapperBuilderCustomizer(new AxonJdbcConfiguration().axonJsonMapper())
            .build();

    @Test
    void readsBackWhatWasWrittenWhateverTheValues() {
        Map<String, Object> entries = new HashMap<>();
        entries.put(AxonJdbcConfiguration.PRINCIPAL, "crn:Jaim1Cu1Q55uooxSens6yk:api-key:MyApiKey");
        entries.put(AxonJdbcConfiguration.REQUEST_ID, "req_1");
        entries.put("count", 3);
        entries.put("flag", true);
        entries.put("nothing", null);
        entries.put("list", List.of("a", 1));
        entries.put("nested", Map.of("key", "value"));
        MetaData metaData = MetaData.from(entries);

        for (int read = 0; read < 3; read++) { // the reader is contextualized once, then reused
            MetaData back = serializer.deserialize(serializer.serialize(metaData, byte[].class));
            assertThat(back).isEqualTo(metaData);
        }
        assertThat((MetaData) serializer.deserialize(serializer.serialize(MetaData.emptyInstance(), byte[].class)))
                .isEmpty();
    }

    @Test
    void refusesMetaDataThatIsNotAnObjectInItsOwnWords() { // so the reader Jackson used is this one, not Axon's
        SerializedObject<byte[]> array = new SimpleSerializedObject<>("[1, 2]".getBytes(StandardCharsets.UTF_8),
                byte[].class, new SimpleSerializedType(MetaData.class.getName(), null));
        assertThatThrownBy(() -> serializer.deserialize(array)).isInstanceOf(SerializationException.class)
                .cause().hasMessageContaining("meta data must be a JSON object");
    }
}
