package com.bankaccounts.command.connectionintent.provider;

import java.net.http.HttpClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

/**
 * Asks the live provider to revoke a refresh token (RFC 7009): a form POST of {@code token} with the hint
 * {@code refresh_token}, the client authenticated as at the token endpoint
 * ({@link OAuth2ProviderProperties#authenticate}: a public client by its id in the form, never by Basic with an
 * empty secret). Any answer but 2xx (redirects included), or no answer, throws, and the task that called it is retried
 * later.
 */
@Component
public class ProviderTokenRevoker {

    private final OAuth2ProviderProperties properties;
    private final String revocationUrl;
    private final RestClient http;

    public ProviderTokenRevoker(OAuth2ProviderProperties properties,
                                @Value("${app.open-banking.revocation-url:}") String revocationUrl) {
        this.properties = properties;
        this.revocationUrl = revocationUrl;
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
        requests.setReadTimeout(properties.readTimeout());
        this.http = RestClient.builder().requestFactory(requests).build();
    }

    /** Whether there is an endpoint to call: without one, nothing is asked of the provider. */
    public boolean configured() {
        return revocationUrl != null && !revocationUrl.isBlank();
    }

    public void revoke(String refreshToken) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("token", refreshToken);
        form.add("token_type_hint", "refresh_token");
        HttpHeaders authentication = new HttpHeaders();
        properties.authenticate(authentication, form);
        http.post()
                .uri(revocationUrl)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .headers(headers -> headers.addAll(authentication))
                .body(form)
                .exchange((request, response) -> {
                    // Only 2xx is a revocation: a redirect is not followed, and is not one either. The answer's
                    // body stays out of the failure, which is logged, as a provider may echo the token.
                    if (!response.getStatusCode().is2xxSuccessful()) {
                        throw new RevocationRefusedException(response.getStatusCode().value());
                    }
                    return null;
                });
    }

    /** The provider did not revoke the token; the task is retried. */
    static class RevocationRefusedException extends RuntimeException {

        RevocationRefusedException(int status) {
            super("the provider's revocation endpoint answered " + status);
        }
    }
}
