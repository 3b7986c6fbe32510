package com.bankaccounts.command;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.NotFoundException;
import java.util.function.Predicate;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

/** Matchers for fixture tests. Records have no bean getters, so hamcrest's property matchers cannot see into them. */
public final class PayloadMatchers {

    private PayloadMatchers() {
    }

    public static <T> Matcher<T> payload(Class<T> type, String description, Predicate<T> check) {
        return new TypeSafeMatcher<>(type) {
            @Override
            protected boolean matchesSafely(T item) {
                return check.test(item);
            }

            @Override
            public void describeTo(Description text) {
                text.appendText(description);
            }
        };
    }

    public static Matcher<BusinessRuleException> businessRule(ErrorCode code) {
        return payload(BusinessRuleException.class, "a BusinessRuleException with code " + code,
                exception -> exception.code() == code);
    }

    public static Matcher<NotFoundException> notFound(ErrorCode code) {
        return payload(NotFoundException.class, "a NotFoundException with code " + code,
                exception -> exception.code() == code);
    }
}
