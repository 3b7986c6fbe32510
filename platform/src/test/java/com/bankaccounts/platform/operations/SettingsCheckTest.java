package com.bankaccounts.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.mock.env.MockEnvironment;

class SettingsCheckTest {

    private static void check(MockEnvironment environment) {
        SettingsCheck check = new SettingsCheck();
        check.setEnvironment(environment);
        check.postProcessBeanFactory(null);
    }

    /** Each would start the server and break it quietly. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "app.idempotency.ttl|0", "app.idempotency.ttl|-1s", "app.scheduler.polling-interval|0",
            "app.webhooks.timeout|-1s", "app.consent-link-validity|-1m",
            "app.funds-transfers.verification-code-validity|0", "app.open-banking.revocation-retry-delay|0",
            "app.bank-accounts.max-per-account|-1", "app.bank-accounts.max-failed-verification-attempts|0",
            "app.webhooks.max-endpoints-per-account|-1", "app.webhooks.max-concurrent-deliveries|0",
            "app.rate-limit.requests-per-minute|-1", "app.api-keys.cache-ttl|-5s",
            "app.webhooks.retry-schedule|-5s,30s", "app.webhooks.retry-schedule|0s",
            "app.public-base-url|javascript:alert(1)//", "app.open-banking.token-url|ftp://provider/token",
            "axon.axonserver.enabled|1", "axon.axonserver.enabled|no", "axon.axonserver.enabled|on",
            "axon.axonserver.enabled|'false '"})
    void aValueOutOfItsRangeStopsTheStartNamingTheSetting(String name, String value) {
        MockEnvironment environment = new MockEnvironment().withProperty(name, value);

        assertThatThrownBy(() -> check(environment)).isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .satisfies(e -> assertThat(((InvalidConfigurationPropertyValueException) e).getName()).isEqualTo(name));
    }


    @Test
    void aValueThatIsNotADurationStopsTheStartInTheBindersReport() {
        assertThatThrownBy(() -> check(new MockEnvironment().withProperty("app.idempotency.ttl", "abc")))
                .isInstanceOf(BindException.class).hasMessageContaining("app.idempotency.ttl");
    }

    @Test
    void theDefaultsAndDocumentedValuesPass() {
        assertThatCode(() -> check(new MockEnvironment())).doesNotThrowAnyException();
        assertThatCode(() -> check(new MockEnvironment().withProperty("app.rate-limit.requests-per-minute", "0")
                .withProperty("app.api-keys.cache-ttl", "0").withProperty("app.public-base-url", "")
                .withProperty("app.idempotency.purge-interval", "0")
                .withProperty("app.webhooks.retry-schedule", "1s,1s").withProperty("app.idempotency.ttl", "2s")
                .withProperty("app.open-banking.token-url", "https://provider.example/token")))
                .doesNotThrowAnyException();
        // No retries: a delivery fails at its first failed attempt.
        assertThatCode(() -> check(new MockEnvironment().withProperty("app.webhooks.retry-schedule", "")))
                .doesNotThrowAnyException();
        assertThatCode(() -> check(new MockEnvironment().withProperty("app.api-keys.cache-size", "3000000000")))
                .doesNotThrowAnyException();
        assertThatCode(() -> check(new MockEnvironment().withProperty("axon.axonserver.enabled", "TRUE")))
                .doesNotThrowAnyException();
    }
}
