package com.bankaccounts.command.connectionintent.provider;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;

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

    /**
     * How this client authenticates at the provider's token and revocation endpoints (RFC 6749 section 2.3): with a
     * secret, HTTP Basic of the form-encoded id and secret; without one (a public client), its id in the form alone.
     * The id goes in the form either way, as providers that check it there expect.
     */
    public void authenticate(HttpHeaders headers, MultiValueMap<String, String> form) {
        form.add("client_id", clientId);
        if (present(clientSecret)) {
            headers.setBasicAuth(URLEncoder.encode(clientId, StandardCharsets.UTF_8),
                    URLEncoder.encode(clientSecret, StandardCharsets.UTF_8));
        }
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
