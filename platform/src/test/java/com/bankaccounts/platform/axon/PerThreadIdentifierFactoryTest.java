package com.bankaccounts.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.axonframework.common.IdentifierFactory;
import org.axonframework.messaging.GenericMessage;
import org.junit.jupiter.api.Test;

class PerThreadIdentifierFactoryTest {

    @Test
    void axonFindsItAndItsIdentifiersAreRandomUuids() {
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(PerThreadIdentifierFactory.class);
        String id = new GenericMessage<>("payload").getIdentifier();
        assertThat(UUID.fromString(id).version()).isEqualTo(4);
        assertThat(new GenericMessage<>("payload").getIdentifier()).isNotEqualTo(id);
    }
}
