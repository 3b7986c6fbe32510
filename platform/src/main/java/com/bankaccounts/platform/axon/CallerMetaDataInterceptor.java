package com.bankaccounts.platform.axon;

import com.bankaccounts.platform.operations.RequestLogFilter;
import com.bankaccounts.platform.security.Caller;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.slf4j.MDC;

/**
 * Every command sent while serving a request carries the caller's CRN as {@code principal} metadata and the request's
 * id as {@code requestId}; its events inherit both (correlation data), so {@code createdBy}/{@code modifiedBy} and the
 * audit history name who did it, and from which request. Metadata already named (a command sent by a flow that
 * inherited it) is kept.
 */
public class CallerMetaDataInterceptor implements MessageDispatchInterceptor<CommandMessage<?>> {

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(List<? extends CommandMessage<?>> messages) {
        return (index, command) -> {
            Map<String, Object> added = new HashMap<>();
            if (!command.getMetaData().containsKey(AxonJdbcConfiguration.PRINCIPAL)) {
                Caller.current().ifPresent(caller -> added.put(AxonJdbcConfiguration.PRINCIPAL, caller.crn()));
            }
            String requestId = MDC.get(RequestLogFilter.MDC_KEY);
            if (requestId != null && !command.getMetaData().containsKey(AxonJdbcConfiguration.REQUEST_ID)) {
                added.put(AxonJdbcConfiguration.REQUEST_ID, requestId);
            }
            return added.isEmpty() ? command : command.andMetaData(added);
        };
    }
}
