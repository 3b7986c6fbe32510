package com.bankaccounts.platform.axon;

import com.bankaccounts.api.common.SecureRandoms;
import org.axonframework.common.IdentifierFactory;

/**
 * Axon's message identifiers (every command, event, query and answer has one) from {@link SecureRandoms}, instead of
 * {@code UUID.randomUUID()}, whose one process-wide lock request threads queued on. Found by Axon through
 * {@code META-INF/services/org.axonframework.common.IdentifierFactory}.
 */
public class PerThreadIdentifierFactory extends IdentifierFactory {

    @Override
    public String generateIdentifier() {
        return SecureRandoms.randomUuid().toString();
    }
}
