package com.bankaccounts.platform.operations;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The documented settings' ranges, checked before any bean is made, so that a value that would start the server and
 * then break it quietly (an idempotency TTL of 0 replays nothing, a polling interval of 0 spins a core, a negative
 * limit refuses every create) stops the start instead, in Spring Boot's own "APPLICATION FAILED TO START" report,
 * which names the setting, its value and where it came from (an environment variable). A value that is not even a
 * duration or a number is reported the same way by the binder. Unset settings keep their defaults, which are valid.
 */
@Component
class SettingsCheck implements BeanFactoryPostProcessor, EnvironmentAware {

    private static final List<String> POSITIVE_DURATIONS = List.of(
            "app.idempotency.ttl", "app.scheduler.polling-interval",
            "app.webhooks.timeout", "app.webhooks.connect-timeout", "app.webhooks.dns-timeout",
            "app.webhooks.poll-interval", "app.webhooks.lease",
            "app.consent-link-validity", "app.consents.account-information-validity",
            "app.funds-transfers.verification-code-validity", "app.audit.checkpoint-interval",
            "app.open-banking.revocation-retry-delay", "app.open-banking.connect-timeout",
            "app.open-banking.read-timeout");
    private static final List<String> POSITIVE_COUNTS = List.of(
            "app.webhooks.max-concurrent-deliveries", "app.webhooks.max-concurrent-per-account",
            "app.webhooks.max-endpoints-per-account",
            "app.bank-accounts.max-per-account", "app.bank-accounts.max-holders-per-number",
            "app.bank-accounts.max-failed-verification-attempts", "app.open-banking.max-concurrent-calls",
            "app.scheduler.threads");
    /** 0 is documented as "off" (rate limits) or "none" (the API key cache). */
    private static final List<String> COUNTS_OR_ZERO = List.of(
            "app.rate-limit.requests-per-minute", "app.rate-limit.unauthenticated-per-minute");
    private static final List<String> URLS = List.of(
            "app.public-base-url", "app.open-banking.authorize-url", "app.open-banking.token-url",
            "app.open-banking.accounts-url", "app.open-banking.redirect-uri", "app.open-banking.revocation-url");

    private Binder binder;

    @Override
    public void setEnvironment(Environment environment) {
        binder = Binder.get(environment);
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        for (String name : POSITIVE_DURATIONS) {
            binder.bind(name, Duration.class).ifBound(value -> require(name, value,
                    !value.isNegative() && !value.isZero(), "must be a positive duration, such as 10s"));
        }
        for (String name : List.of("app.api-keys.cache-ttl", "app.idempotency.purge-interval")) {
            binder.bind(name, Duration.class).ifBound(value -> require(name, value, !value.isNegative(),
                    "must be a duration of 0 (off) or more"));
        }
        for (String name : POSITIVE_COUNTS) {
            binder.bind(name, Integer.class).ifBound(value -> require(name, value, value > 0,
                    "must be a whole number of 1 or more"));
        }
        for (String name : COUNTS_OR_ZERO) {
            binder.bind(name, Integer.class).ifBound(value -> require(name, value, value >= 0,
                    "must be a whole number of 0 (off) or more"));
        }
        binder.bind("app.rate-limit.max-tracked", Long.class).ifBound(value -> require("app.rate-limit.max-tracked",
                value, value > 0, "must be a whole number of 1 or more"));
        binder.bind("app.api-keys.cache-size", Long.class).ifBound(value -> require("app.api-keys.cache-size",
                value, value >= 0, "must be a whole number of 0 (no cache) or more"));
        // Empty is allowed: no retries, a delivery fails at its first failed attempt.
        binder.bind("app.webhooks.retry-schedule", Bindable.listOf(Duration.class)).ifBound(waits ->
                require("app.webhooks.retry-schedule", waits,
                        waits.stream().noneMatch(wait -> wait == null || wait.isNegative() || wait.isZero()),
                        "must list positive waits, such as 5s,30s,2m (or none, for no retries)"));
        for (String name : URLS) {
            binder.bind(name, String.class).ifBound(value -> require(name, value,
                    value.isBlank() || httpUrl(value), "must be an absolute http or https URL"));
        }
        // Axon switches Axon Server on for anything but "false", this service's own beans read 1, yes and on as true
        // and 0, no and off as false: any of those would start a process half in one mode, half in the other.
        binder.bind("axon.axonserver.enabled", String.class).ifBound(value -> require("axon.axonserver.enabled",
                value, value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false"),
                "must be true or false (without spaces: Spring's conditions do not trim them)"));
    }

    private static void require(String name, Object value, boolean valid, String reason) {
        if (!valid) {
            throw new InvalidConfigurationPropertyValueException(name, value, reason);
        }
    }

    private static boolean httpUrl(String value) {
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
