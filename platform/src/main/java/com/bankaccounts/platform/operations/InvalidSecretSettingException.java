package com.bankaccounts.platform.operations;

/**
 * A secret setting (a key) that stops the start. Boot's own report of an invalid setting shows its value, so a secret's
 * is reported by {@link InvalidSecretSettingFailureAnalyzer}, which names it and says why, and never shows it.
 */
public class InvalidSecretSettingException extends RuntimeException {

    private final String setting;
    private final String action;

    /**
     * @param setting the environment variable, as the README names it
     * @param reason  what is wrong with its value
     * @param action  what to do about it
     */
    public InvalidSecretSettingException(String setting, String reason, String action) {
        super(setting + " " + reason);
        this.setting = setting;
        this.action = action;
    }

    public String setting() {
        return setting;
    }

    public String action() {
        return action;
    }
}
