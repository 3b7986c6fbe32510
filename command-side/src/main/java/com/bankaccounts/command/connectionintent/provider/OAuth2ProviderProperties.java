package com.bankaccounts.command.connectionintent.provider;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The live open-banking provider (app.open-banking.*). Without {@code authorizeUrl}, {@code tokenUrl},
 * {@code accountsUrl} and {@code clientId}, live intents are refused with LIVE_PROVIDER_NOT_CONFIGURED.
 */
@ConfigurationProperties("app.open-banking")
public record OAuth2ProviderProperties(String authorizeUrl,
                                       String tokenUrl,
                                       String accountsUrl,
                                       String clientId,
                                       String clientSecret,
                                       String redirectUri,
                                       String accountScope,
                                       String paymentScope,
                                       Duration connectTimeout,
                                       Duration readTimeout) {

    public OAuth2ProviderProperties {
        accountScope = blankTo(accountScope, "accounts");
        paymentScope = blankTo(paymentScope, "payments");
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(10) : readTimeout;
    }

    public boolean configured() {
        return present(authorizeUrl) && present(tokenUrl) && present(accountsUrl) && present(clientId);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String blankTo(String value, String fallback) {
        return present(value) ? value : fallback;
    }
}
