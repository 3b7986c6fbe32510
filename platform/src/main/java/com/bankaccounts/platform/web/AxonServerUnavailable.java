package com.bankaccounts.platform.web;

import io.axoniq.axonserver.connector.AxonServerException;
import io.axoniq.axonserver.connector.ErrorCategory;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Set;

/**
 * Whether a failure comes from Axon Server being out of reach (only with Axon Server switched on): a command, query
 * or append that could not get through is to be retried, 503, not a fault of the request.
 */
final class AxonServerUnavailable {

    private static final Set<Status.Code> UNREACHABLE = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);
    private static final Set<String> UNREACHABLE_CODES = Set.of(ErrorCategory.CONNECTION_FAILED.errorCode(),
            ErrorCategory.NO_EVENT_STORE_MASTER_AVAILABLE.errorCode());

    private AxonServerUnavailable() {
    }

    static boolean causes(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof StatusRuntimeException grpc && UNREACHABLE.contains(grpc.getStatus().getCode())) {
                return true;
            }
            if (cause instanceof AxonServerException connector
                    && UNREACHABLE_CODES.contains(connector.getErrorCategory().errorCode())) {
                return true;
            }
            if (cause instanceof org.axonframework.axonserver.connector.AxonServerException framework
                    && UNREACHABLE_CODES.contains(framework.code())) {
                return true;
            }
        }
        return false;
    }
}
