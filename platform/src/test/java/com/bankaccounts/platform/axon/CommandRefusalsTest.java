package com.bankaccounts.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.RecordedRefusalException;
import java.util.Optional;
import javax.annotation.Nonnull;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.Registration;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.junit.jupiter.api.Test;

/** A command handler's refusal reaches the sender as it was thrown, across Axon Server's wire. */
class CommandRefusalsTest {

    private final SimpleCommandBus local = SimpleCommandBus.builder().build();
    private final CommandBus wire = new AxonServerWire(local, Jackson3Serializer.builder().build());

    private CommandGateway gateway(CommandBus bus) {
        return DefaultCommandGateway.builder().commandBus(bus).build();
    }

    private void handlerThrows(RuntimeException failure) {
        local.subscribe(String.class.getName(), command -> {
            throw failure;
        });
    }

    @Test
    void refusalsArriveAsThrown() {
        local.registerHandlerInterceptor(CommandRefusals.carrier());
        CommandGateway gateway = gateway(CommandRefusals.restoring(wire));

        handlerThrows(new BusinessRuleException(ErrorCode.DUPLICATE_BANK_ACCOUNT));
        assertThatThrownBy(() -> gateway.sendAndWait("command")).isExactlyInstanceOf(BusinessRuleException.class)
                .extracting(failure -> ((BusinessRuleException) failure).code())
                .isEqualTo(ErrorCode.DUPLICATE_BANK_ACCOUNT);
    }

    @Test
    void recordedRefusalsAndNotFoundKeepTheirKind() {
        local.registerHandlerInterceptor(CommandRefusals.carrier());
        CommandGateway gateway = gateway(CommandRefusals.restoring(wire));

        handlerThrows(new RecordedRefusalException(ErrorCode.BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED));
        assertThatThrownBy(() -> gateway.sendAndWait("command")).isExactlyInstanceOf(RecordedRefusalException.class)
                .hasMessage("BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED");
    }

    @Test
    void notFoundKeepsItsCode() {
        local.registerHandlerInterceptor(CommandRefusals.carrier());
        handlerThrows(new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND));
        assertThatThrownBy(() -> gateway(CommandRefusals.restoring(wire)).sendAndWait("command"))
                .isExactlyInstanceOf(NotFoundException.class).hasMessage("BANK_ACCOUNT_NOT_FOUND");
    }

    @Test
    void withoutTheCarrierARefusalArrivesAsAFault() {
        handlerThrows(new BusinessRuleException(ErrorCode.DUPLICATE_BANK_ACCOUNT));
        assertThatThrownBy(() -> gateway(CommandRefusals.restoring(wire)).sendAndWait("command"))
                .isExactlyInstanceOf(CommandExecutionException.class);
    }

    @Test
    void faultsStayFaults() {
        local.registerHandlerInterceptor(CommandRefusals.carrier());
        handlerThrows(new IllegalStateException("broken"));
        assertThatThrownBy(() -> gateway(CommandRefusals.restoring(wire)).sendAndWait("command"))
                .isExactlyInstanceOf(CommandExecutionException.class).hasMessageContaining("broken");
    }

    @Test
    void theRollbackDecisionSeesTheRefusalInsideItsCarrier() {
        RuntimeException refusal = new RecordedRefusalException(ErrorCode.BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED);
        assertThat(CommandRefusals.unwrapped(new CommandExecutionException("x", refusal,
                new CommandRefusals.Refusal("recorded-refusal", "BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED"))))
                .isSameAs(refusal);
        RuntimeException fault = new IllegalStateException();
        assertThat(CommandRefusals.unwrapped(fault)).isSameAs(fault);
    }

    /**
     * What AxonServerCommandBus keeps of a failed command on its way back: the message and the details, serialized
     * (CommandSerializer); the exception itself stays on the handling node.
     */
    private record AxonServerWire(CommandBus local, Serializer serializer) implements CommandBus {

        @Override
        public <C> void dispatch(@Nonnull CommandMessage<C> command) {
            local.dispatch(command);
        }

        @Override
        public <C, R> void dispatch(@Nonnull CommandMessage<C> command,
                                    @Nonnull CommandCallback<? super C, ? super R> callback) {
            local.dispatch(command, (CommandCallback<C, R>) (message, result) -> {
                if (!result.isExceptional()) {
                    callback.onResult(message, result);
                    return;
                }
                Optional<Object> details = result.exceptionDetails().map(detail -> {
                    SerializedObject<byte[]> serialized = serializer.serialize(detail, byte[].class);
                    return serializer.deserialize(serialized);
                });
                callback.onResult(message, GenericCommandResultMessage.asCommandResultMessage(
                        new CommandExecutionException(result.exceptionResult().getMessage(), null, details.orElse(null))));
            });
        }

        @Override
        public Registration subscribe(@Nonnull String commandName,
                                      @Nonnull MessageHandler<? super CommandMessage<?>> handler) {
            return local.subscribe(commandName, handler);
        }

        @Override
        public Registration registerHandlerInterceptor(
                @Nonnull MessageHandlerInterceptor<? super CommandMessage<?>> handlerInterceptor) {
            return local.registerHandlerInterceptor(handlerInterceptor);
        }

        @Override
        public Registration registerDispatchInterceptor(
                @Nonnull MessageDispatchInterceptor<? super CommandMessage<?>> dispatchInterceptor) {
            return local.registerDispatchInterceptor(dispatchInterceptor);
        }
    }
}
