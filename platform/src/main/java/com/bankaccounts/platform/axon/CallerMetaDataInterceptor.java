package com.bankaccounts.platform.axon;

import com.bankaccounts.platform.security.Caller;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;

/**
 * Every command sent while serving a request carries the caller's CRN as {@code principal} metadata; its events
 * inherit it (correlation data), so {@code createdBy}/{@code modifiedBy} and the audit history name who did it.
 */
public class CallerMetaDataInterceptor implements MessageDispatchInterceptor<CommandMessage<?>> {

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(List<? extends CommandMessage<?>> messages) {
        return (index, command) -> command.getMetaData().containsKey(AxonJdbcConfiguration.PRINCIPAL)
                ? command
                : Caller.current()
                        .<CommandMessage<?>>map(caller -> command.andMetaData(
                                Map.of(AxonJdbcConfiguration.PRINCIPAL, caller.crn())))
                        .orElse(command);
    }
}
