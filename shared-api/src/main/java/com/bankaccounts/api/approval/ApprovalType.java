package com.bankaccounts.api.approval;

import java.util.Arrays;
import java.util.Optional;

public enum ApprovalType {
    SETTLEMENT("settlement"),
    ACCOUNT_CONSENT("account-consent"),
    PAYMENT_CONSENT("payment-consent");

    private final String value;

    ApprovalType(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<ApprovalType> fromValue(String value) {
        return Arrays.stream(values()).filter(type -> type.value.equals(value)).findFirst();
    }
}
