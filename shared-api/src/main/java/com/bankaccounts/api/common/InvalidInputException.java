package com.bankaccounts.api.common;

/**
 * Input that is well-formed but not acceptable, found where the rule lives (an aggregate) rather than at the HTTP
 * boundary; answered as 400 with the message, which names the field.
 */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message, null, false, false);
    }
}
