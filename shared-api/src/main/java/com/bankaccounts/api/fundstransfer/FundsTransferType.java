package com.bankaccounts.api.fundstransfer;

import java.util.Arrays;
import java.util.Optional;

public enum FundsTransferType {
    TOPUP("topup"),
    WITHDRAWAL("withdrawal");

    private final String value;

    FundsTransferType(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<FundsTransferType> fromValue(String value) {
        return Arrays.stream(values()).filter(type -> type.value.equals(value)).findFirst();
    }
}
