package com.bankaccounts.query.webhook;

import com.bankaccounts.platform.webhook.WebhookUrlPolicy;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Delivery settings (app.webhooks.*).
 *
 * @param retrySchedule waits between attempts after each failure; past its end the delivery is {@code failed}
 * @param timeout how long an endpoint has to answer (a 2xx within it is success)
 * @param connectTimeout how long connecting may take (and the TLS handshake); a send ends within it and
 *     {@code timeout} together
 * @param dnsTimeout how long looking up the URL's host may take, before connecting
 * @param pollInterval how often a node looks for due deliveries
 * @param maxConcurrentDeliveries endpoints sent to at once per node (threads; each endpoint has one send in flight)
 * @param maxConcurrentPerAccount endpoints of one account sent to at once, over all nodes
 * @param lease how long a node holds a delivery it is sending; past it another node sends it again
 */
@ConfigurationProperties("app.webhooks")
public record WebhookProperties(List<Duration> retrySchedule, Duration timeout, Duration connectTimeout,
                                Duration dnsTimeout, Duration pollInterval, int maxConcurrentDeliveries,
                                int maxConcurrentPerAccount, Duration lease) {

    public WebhookProperties {
        retrySchedule = retrySchedule == null ? List.of() : List.copyOf(retrySchedule);
        // The parameters: the fields are assigned after this body.
        if (lease.compareTo(sendTime(dnsTimeout, connectTimeout, timeout).plusSeconds(5)) < 0) {
            throw new IllegalArgumentException("app.webhooks.lease must exceed app.webhooks.timeout + connect-timeout "
                    + "+ 1.5 x dns-timeout (the lookup and its wait for a turn) by 5 s at least");
        }
    }

    /** The longest one send may take: its host's lookup (with its wait for a turn), connecting, the answer. */
    public Duration sendTime() {
        return sendTime(dnsTimeout, connectTimeout, timeout);
    }

    private static Duration sendTime(Duration dnsTimeout, Duration connectTimeout, Duration timeout) {
        return WebhookUrlPolicy.longestCheck(dnsTimeout).plus(connectTimeout).plus(timeout);
    }
}
