package com.bankaccounts.platform.axon;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.InvalidInputException;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.RecordedRefusalException;
import com.bankaccounts.platform.web.ApiException;
import java.util.Optional;
import javax.annotation.Nonnull;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.common.Registration;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.HttpStatus;

/**
 * Through Axon Server a command handler's exception reaches the sender as a {@link CommandExecutionException} that
 * keeps only a message and the exception's "details" (Axon's reference guide, exception handling in distributed
 * applications): a refusal would arrive as an unknown fault and answer 500. The handling node puts the refusal into
 * the details ({@link #carrier()}); the sending node throws the same refusal again ({@link #restoring}), so callers and
 * the error handler see what they see without Axon Server.
 */
public final class CommandRefusals {

    /** A refusal as it travels: its kind, and the error code, message, status or aggregate id that rebuild it. */
    public record Refusal(String kind, String value) {
    }

    private CommandRefusals() {
    }

    /** Handler interceptor of the local command bus: a refusal leaves it as details of a CommandExecutionException. */
    public static MessageHandlerInterceptor<CommandMessage<?>> carrier() {
        return (unitOfWork, chain) -> {
            try {
                return chain.proceed();
            } catch (RuntimeException failure) {
                Refusal refusal = refusalOf(failure);
                if (refusal == null) {
                    throw failure;
                }
                throw new CommandExecutionException(failure.getMessage(), failure, refusal, false);
            }
        };
    }

    /** The refusal that {@link #carrier()} wrapped, if this failure is one (the rollback decision looks through it). */
    static Throwable unwrapped(Throwable failure) {
        if (failure instanceof CommandExecutionException wrapped && wrapped.getDetails().isPresent()
                && wrapped.getCause() != null) {
            return wrapped.getCause();
        }
        return failure;
    }

    /** The command bus as the gateway sees it: refusals carried back from the handling node are thrown again. */
    public static CommandBus restoring(CommandBus delegate) {
        return new RestoringCommandBus(delegate);
    }

    private static Refusal refusalOf(RuntimeException failure) {
        if (failure instanceof RecordedRefusalException refused) {
            return new Refusal("recorded-refusal", refused.code().name());
        } else if (failure instanceof BusinessRuleException refused) {
            return new Refusal("business-rule", refused.code().name());
        } else if (failure instanceof NotFoundException notFound) {
            return new Refusal("not-found", notFound.code().name());
        } else if (failure instanceof InvalidInputException invalid) {
            return new Refusal("invalid-input", invalid.getMessage());
        } else if (failure instanceof ApiException api && isCode(api.getMessage())) {
            return new Refusal("api-" + api.status().value(), api.getMessage());
        } else if (failure instanceof AggregateNotFoundException notFound) {
            return new Refusal("aggregate-not-found", String.valueOf(notFound.getAggregateIdentifier()));
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
            default -> refusal.kind().startsWith("api-") ? api(refusal)
                    : new IllegalStateException("unknown refusal " + refusal.kind());
        };
    }

    private static ApiException api(Refusal refusal) {
        int status = Integer.parseInt(refusal.kind().substring("api-".length()));
        return new ApiException(HttpStatus.valueOf(status), ErrorCode.valueOf(refusal.value()));
    }

    private static boolean isCode(String message) {
        return java.util.Arrays.stream(ErrorCode.values()).anyMatch(code -> code.name().equals(message));
    }

    private record RestoringCommandBus(CommandBus delegate) implements CommandBus {

        @Override
        public <C> void dispatch(@Nonnull CommandMessage<C> command) {
            delegate.dispatch(command);
        }

        @Override
        public <C, R> void dispatch(@Nonnull CommandMessage<C> command,
                                    @Nonnull CommandCallback<? super C, ? super R> callback) {
            delegate.dispatch(command, (CommandCallback<C, R>) (message, result) -> {
                Optional<RuntimeException> refusal = result.isExceptional()
                        ? restore(result.exceptionResult()) : Optional.empty();
                if (refusal.isPresent()) {
                    callback.onResult(message, GenericCommandResultMessage.asCommandResultMessage(refusal.get()));
                } else {
                    callback.onResult(message, result);
                }
            });
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
