package com.bankaccounts.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.RecordedRefusalException;
import java.sql.BatchUpdateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.annotation.Nonnull;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.common.Registration;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;

/** A command handler's refusal reaches the sender as it was thrown, across Axon Server's wire. */
class CommandRefusalsTest {

    /** As in AxonJdbcConfiguration: a recorded refusal commits its unit of work. */
    private final SimpleCommandBus local = SimpleCommandBus.builder()
            .rollbackConfiguration(failure -> !(failure instanceof RecordedRefusalException)
                    && RollbackConfigurationType.UNCHECKED_EXCEPTIONS.rollBackOn(failure))
            .build();
    private final CommandBus wire = new AxonServerWire(CommandRefusals.carrying(local),
            Jackson3Serializer.builder().build());
    private final CommandBus wireWithoutCarrier = new AxonServerWire(local, Jackson3Serializer.builder().build());

    private CommandGateway gateway(CommandBus bus) {
        return DefaultCommandGateway.builder().commandBus(bus).build();
    }

    /** Across the wire, retrying lost races twice (ConflictRetryScheduler). */
    private CommandGateway retryingGateway() {
        return DefaultCommandGateway.builder().commandBus(CommandRefusals.restoring(wire))
                .retryScheduler(new ConflictRetryScheduler(IntervalRetryScheduler.builder()
                        .retryExecutor(Executors.newSingleThreadScheduledExecutor()).maxRetryCount(2)
                        .retryInterval(1)))
                .build();
    }

    private void handlerThrows(RuntimeException failure) {
        local.subscribe(String.class.getName(), command -> {
            throw failure;
        });
    }

    @Test
    void refusalsArriveAsThrown() {
        CommandGateway gateway = gateway(CommandRefusals.restoring(wire));

        handlerThrows(new BusinessRuleException(ErrorCode.DUPLICATE_BANK_ACCOUNT));
        assertThatThrownBy(() -> gateway.sendAndWait("command")).isExactlyInstanceOf(BusinessRuleException.class)
                .extracting(failure -> ((BusinessRuleException) failure).code())
                .isEqualTo(ErrorCode.DUPLICATE_BANK_ACCOUNT);
    }

    @Test
    void recordedRefusalsAndNotFoundKeepTheirKind() {
        CommandGateway gateway = gateway(CommandRefusals.restoring(wire));

        handlerThrows(new RecordedRefusalException(ErrorCode.BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED));
        assertThatThrownBy(() -> gateway.sendAndWait("command")).isExactlyInstanceOf(RecordedRefusalException.class)
                .hasMessage("BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED");
    }

    @Test
    void notFoundKeepsItsCode() {
        handlerThrows(new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND));
        assertThatThrownBy(() -> gateway(CommandRefusals.restoring(wire)).sendAndWait("command"))
                .isExactlyInstanceOf(NotFoundException.class).hasMessage("BANK_ACCOUNT_NOT_FOUND");
    }

    @Test
    void withoutTheCarrierARefusalArrivesAsAFault() {
        handlerThrows(new BusinessRuleException(ErrorCode.DUPLICATE_BANK_ACCOUNT));
        assertThatThrownBy(() -> gateway(CommandRefusals.restoring(wireWithoutCarrier)).sendAndWait("command"))
                .isExactlyInstanceOf(CommandExecutionException.class);
    }

    @Test
    void faultsStayFaults() {
        handlerThrows(new IllegalStateException("broken"));
        assertThatThrownBy(() -> gateway(CommandRefusals.restoring(wire)).sendAndWait("command"))
                .isExactlyInstanceOf(CommandExecutionException.class).hasMessageContaining("broken");
    }

    @Test
    void aRecordedRefusalStillCommitsItsUnitOfWork() {
        List<String> phases = new ArrayList<>();
        local.subscribe(String.class.getName(), command -> {
            CurrentUnitOfWork.get().onCommit(unitOfWork -> phases.add("commit"));
            CurrentUnitOfWork.get().onRollback(unitOfWork -> phases.add("rollback"));
            throw new RecordedRefusalException(ErrorCode.BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED);
        });
        assertThatThrownBy(() -> gateway(CommandRefusals.restoring(wire)).sendAndWait("command"))
                .isExactlyInstanceOf(RecordedRefusalException.class);
        assertThat(phases).containsExactly("commit");
    }

    @Test
    void aLostRaceAtCommitArrivesAsOneAndIsRetried() {
        AtomicInteger attempts = new AtomicInteger();
        local.subscribe(String.class.getName(), command -> {
            // As a registry's row lock timing out while the subscribing handlers run, after the handler.
            CurrentUnitOfWork.get().onPrepareCommit(unitOfWork -> {
                throw new PessimisticLockingFailureException("lock timeout");
            });
            return attempts.incrementAndGet();
        });
        CommandGateway gateway = retryingGateway();
        assertThatThrownBy(() -> gateway.sendAndWait("command"))
                .isInstanceOf(PessimisticLockingFailureException.class);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aLostAppendArrivesAsOneAndIsRetried() {
        AtomicInteger attempts = new AtomicInteger();
        local.subscribe(String.class.getName(), command -> {
            // As the event store throws it when another node appended first: with its SQL cause.
            CurrentUnitOfWork.get().onPrepareCommit(unitOfWork -> {
                throw new ConcurrencyException("already inserted",
                        new BatchUpdateException("duplicate key", "23505", new int[0]));
            });
            return attempts.incrementAndGet();
        });
        CommandGateway gateway = retryingGateway();
        assertThatThrownBy(() -> gateway.sendAndWait("command")).isInstanceOf(ConcurrencyException.class);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aDuplicateKeyArrivesAsOne() {
        handlerThrows(new DuplicateKeyException("duplicate key value violates unique constraint"));
        assertThatThrownBy(() -> gateway(CommandRefusals.restoring(wire)).sendAndWait("command"))
                .isExactlyInstanceOf(DuplicateKeyException.class);
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
