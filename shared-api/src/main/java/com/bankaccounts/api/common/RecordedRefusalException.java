package com.bankaccounts.api.common;

/**
 * A refusal that is itself a fact: the handler has applied the event recording it (a failed verification attempt
 * counts towards a limit). The command bus commits that event and then answers the refusal (403 with the code).
 */
public class RecordedRefusalException extends BusinessRuleException {

    public RecordedRefusalException(ErrorCode code) {
        super(code);
    }
}
