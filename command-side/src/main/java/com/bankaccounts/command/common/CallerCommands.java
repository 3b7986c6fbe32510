package com.bankaccounts.command.common;

import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import com.bankaccounts.platform.security.Caller;
import java.util.Map;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

/** Sends a command on behalf of a caller: the caller's CRN rides along as metadata and lands on every event. */
@Component
public class CallerCommands {

    private final CommandGateway gateway;

    public CallerCommands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public <R> R send(Caller caller, Object command) {
        return gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                .andMetaData(Map.of(AxonJdbcConfiguration.PRINCIPAL, caller.crn())));
    }
}
