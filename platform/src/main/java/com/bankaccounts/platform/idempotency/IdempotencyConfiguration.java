package com.bankaccounts.platform.idempotency;

import com.bankaccounts.platform.web.ErrorResponses;
import com.bankaccounts.platform.web.RequestBodyRules;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
public class IdempotencyConfiguration {

    /**
     * After Spring Security's filters (the caller is known) and the rules of a write's headers (a retry is refused as
     * its first request was), before the endpoints.
     */
    public static final int FILTER_ORDER = RequestBodyRules.HEADER_RULES_ORDER + 10;

    /**
     * Run without the enclosing transaction: the connection-intent authorizations call the open-banking provider,
     * which must happen with no transaction open (ConnectionIntentAuthorizer; their own claim guards against a
     * concurrent second call); the admin operations (projection rebuilds) commit in transactions of their own before
     * starting work that other threads and nodes must see.
     */
    private static final Pattern WITHOUT_TRANSACTION = Pattern.compile(
            "/api/(bank-account-connection-intents|bank-account-requests)/[^/]+/authorize|/api/admin/.*");

    @Bean
    public FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(
            IdempotencyKeys keys, PlatformTransactionManager transactionManager, ErrorResponses errors,
            @Value("${app.idempotency.ttl:24h}") Duration ttl) {
        IdempotencyFilter filter = new IdempotencyFilter(keys, new TransactionTemplate(transactionManager), errors,
                ttl, path -> WITHOUT_TRANSACTION.matcher(path).matches());
        FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/api/*");
        registration.setOrder(FILTER_ORDER);
        return registration;
    }

    @Bean
    public IdempotencyKeyPurge idempotencyKeyPurge(IdempotencyKeys keys,
                                                   @Value("${app.idempotency.purge-interval:10m}") Duration interval) {
        return new IdempotencyKeyPurge(keys, interval);
    }
}
