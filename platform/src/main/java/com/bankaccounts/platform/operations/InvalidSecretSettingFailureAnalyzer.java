package com.bankaccounts.platform.operations;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Boot's "APPLICATION FAILED TO START" report for a secret setting, without its value (META-INF/spring.factories). */
class InvalidSecretSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSecretSettingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSecretSettingException cause) {
        return new FailureAnalysis(cause.getMessage() + " (its value is not shown).", cause.action(), cause);
    }
}
