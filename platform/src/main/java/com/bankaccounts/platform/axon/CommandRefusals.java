package com.bankaccounts.platform.axon;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.InvalidInputException;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.RecordedRefusalException;
import com.bankaccounts.platform.web.ApiException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import javax.annotation.Nonnull;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.common.Registration;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Through Axon Server a command's failure reaches the sender as a {@link CommandExecutionException} that keeps only a
 * message and the exception's "details" (Axon's reference guide, exception handling in distributed applications): a
 * refusal, a lost race or an unreachable database would arrive as an unknown fault and answer 500. The handling node
 * puts what the answer depends on into the details ({@link #carrying}), once the command's unit of work is over (so
 * failures at commit are carried too, and the rollback decisions are untouched); the sending node throws the same
 * kind of exception again ({@link #restoring}), so callers, the retry of lost races and the error handler see what
 * they see without Axon Server.
 */
public final class CommandRefusals {

    /** A failure as it travels: its kind, and the error code, message or aggregate id that rebuild it. */
    public record Refusal(String kind, String value) {
    }

    private CommandRefusals() {
    }

    /** The local segment as Axon Server's command bus uses it: failures leave it with their kind in the details. */
    public static CommandBus carrying(CommandBus local) {
        return new Decorated(local, result -> {
            Throwable failure = result.exceptionResult();
            return refusalOf(failure).<CommandResultMessage<?>>map(refusal -> GenericCommandResultMessage
                    .asCommandResultMessage(new CommandExecutionException(failure.getMessage(), failure, refusal,
                            false))).orElse(result);
        });
    }

    /** The command bus as the gateway sees it: failures carried back from the handling node are thrown again. */
    public static CommandBus restoring(CommandBus delegate) {
        return new Decorated(delegate, result -> restore(result.exceptionResult())
                .<CommandResultMessage<?>>map(GenericCommandResultMessage::asCommandResultMessage).orElse(result));
    }

    static Optional<Refusal> refusalOf(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            Refusal refusal = kindOf(cause);
            if (refusal != null) {
                return Optional.of(refusal);
            }
        }
        return Optional.empty();
    }

    private static Refusal kindOf(Throwable failure) {
        if (failure instanceof RecordedRefusalException refused) {
            return new Refusal("recorded-refusal", refused.code().name());
        } else if (failure instanceof BusinessRuleException refused) {
            return new Refusal("business-rule", refused.code().name());
        } else if (failure instanceof NotFoundException notFound) {
            return new Refusal("not-found", notFound.code().name());
        } else if (failure instanceof InvalidInputException invalid) {
            return new Refusal("invalid-input", invalid.getMessage());
        } else if (failure instanceof ApiException api && ErrorCode.isCode(api.getMessage())) {
            return new Refusal("api-" + api.status().value(), api.getMessage());
        } else if (failure instanceof AggregateNotFoundException notFound) {
            return new Refusal("aggregate-not-found", String.valueOf(notFound.getAggregateIdentifier()));
        } else if (failure instanceof ConcurrencyException) {
            return new Refusal("append-conflict", "");
        } else if (failure instanceof PessimisticLockingFailureException) {
            return new Refusal("lock-conflict", "");
        } else if (failure instanceof DuplicateKeyException) {
            return new Refusal("duplicate-key", "");
        } else if (failure instanceof DataIntegrityViolationException) {
            return new Refusal("data-integrity", "");
        } else if (failure instanceof DataAccessResourceFailureException
                || failure instanceof CannotCreateTransactionException
                || failure instanceof SQLTransientConnectionException) {
            return new Refusal("database-unavailable", "");
        }
        return null;
    }

    static Optional<RuntimeException> restore(Throwable failure) {
        if (!(failure instanceof CommandExecutionException execution)) {
            return Optional.empty();
        }
        return execution.getDetails().filter(Refusal.class::isInstance).map(Refusal.class::cast)
                .map(CommandRefusals::rebuild);
    }

    private static RuntimeException rebuild(Refusal refusal) {
        return switch (refusal.kind()) {
            case "recorded-refusal" -> new RecordedRefusalException(ErrorCode.valueOf(refusal.value()));
            case "business-rule" -> new BusinessRuleException(ErrorCode.valueOf(refusal.value()));
            case "not-found" -> new NotFoundException(ErrorCode.valueOf(refusal.value()));
            case "invalid-input" -> new InvalidInputException(refusal.value());
            case "aggregate-not-found" -> new AggregateNotFoundException(refusal.value(), "aggregate not found");
            case "append-conflict" -> new ConcurrencyException("lost the aggregate's append on the handling node");
            case "lock-conflict" -> new PessimisticLockingFailureException("lock conflict on the handling node");
            case "duplicate-key" -> new DuplicateKeyException("duplicate key on the handling node");
            case "data-integrity" -> new DataIntegrityViolationException("value refused on the handling node");
            case "database-unavailable" -> new DataAccessResourceFailureException("database unavailable");
            default -> refusal.kind().startsWith("api-") ? api(refusal)
                    : new IllegalStateException("unknown refusal " + refusal.kind());
        };
    }

    private static ApiException api(Refusal refusal) {
        int status = Integer.parseInt(refusal.kind().substring("api-".length()));
        return new ApiException(HttpStatus.valueOf(status), ErrorCode.valueOf(refusal.value()));
    }

    private interface ResultMapping {
        CommandResultMessage<?> exceptional(CommandResultMessage<?> result);
    }

    /** The bus, with exceptional results of dispatched commands mapped on their way to the callback. */
    private record Decorated(CommandBus delegate, ResultMapping mapping) implements CommandBus {

        @Override
        public <C> void dispatch(@Nonnull CommandMessage<C> command) {
            delegate.dispatch(command);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <C, R> void dispatch(@Nonnull CommandMessage<C> command,
                                    @Nonnull CommandCallback<? super C, ? super R> callback) {
            delegate.dispatch(command, (CommandCallback<C, R>) (message, result) -> callback.onResult(message,
                    result.isExceptional() ? (CommandResultMessage<R>) mapping.exceptional(result) : result));
        }

        @Override
        public Registration subscribe(@Nonnull String commandName,
                                      @Nonnull MessageHandler<? super CommandMessage<?>> handler) {
            return delegate.subscribe(commandName, handler);
        }

        @Override
        public Registration registerHandlerInterceptor(
                @Nonnull MessageHandlerInterceptor<? super CommandMessage<?>> handlerInterceptor) {
            return delegate.registerHandlerInterceptor(handlerInterceptor);
        }

        @Override
        public Registration registerDispatchInterceptor(
                @Nonnull MessageDispatchInterceptor<? super CommandMessage<?>> dispatchInterceptor) {
            return delegate.registerDispatchInterceptor(dispatchInterceptor);
        }
    }
}
