package com.bankaccounts.api.connectionintent;

import java.util.Arrays;
import java.util.Optional;

/** After which the amount spent under an enduring payment consent resets. */
public enum ConsentPeriod {
    DAILY, WEEKLY, FORTNIGHTLY, MONTHLY, YEARLY;

    public String value() {
        return name().toLowerCase();
    }

    public static Optional<ConsentPeriod> fromValue(String value) {
        return Arrays.stream(values()).filter(period -> period.value().equals(value)).findFirst();
    }
}
