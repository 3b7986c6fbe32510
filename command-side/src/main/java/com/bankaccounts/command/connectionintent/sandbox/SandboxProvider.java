package com.bankaccounts.command.connectionintent.sandbox;

import com.bankaccounts.command.connectionintent.provider.AuthorizationCodeRejectedException;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider;
import com.bankaccounts.command.connectionintent.provider.Pkce;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The sandbox bank for test intents: its consent page is served by this server ({@link SandboxConsentController}),
 * its codes are single use and bound to the intent, and its accounts are demo accounts.
 */
@Component
public class SandboxProvider implements OpenBankingProvider {

    private static final String SANDBOX_TOKEN_PREFIX = "sbx_";

    private final SandboxConsents consents;

    SandboxProvider(SandboxConsents consents) {
        this.consents = consents;
    }

    @Override
    public String authorizationUrl(AuthorizationRequest request) {
        consents.open(request);
        return request.baseUrl() + consentPath(request.state());
    }

    /** The consent link's path on this server, for a state. */
    static String consentPath(String state) {
        return "/sandbox/consent?state=" + URLEncoder.encode(state, StandardCharsets.UTF_8);
    }

    @Override
    public ProviderGrant exchange(CodeExchange exchange) {
        if (!consents.redeem(exchange.connectionIntentId(), exchange.code())) {
            throw new AuthorizationCodeRejectedException("sandbox code unknown, used or expired");
        }
        return new ProviderGrant(SANDBOX_TOKEN_PREFIX + exchange.connectionIntentId(),
                SANDBOX_TOKEN_PREFIX + Pkce.randomToken(), "sbx-consent-" + Pkce.randomToken().substring(0, 16));
    }

    @Override
    public List<ProviderAccount> accounts(ProviderGrant grant) {
        return SandboxAccounts.forIntent(grant.accessToken().substring(SANDBOX_TOKEN_PREFIX.length()));
    }
}
