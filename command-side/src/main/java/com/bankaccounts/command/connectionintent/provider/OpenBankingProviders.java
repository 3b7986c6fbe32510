package com.bankaccounts.command.connectionintent.provider;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.command.connectionintent.sandbox.SandboxProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/** Test intents go to the sandbox; live ones to the configured OAuth 2.0 provider, if there is one. */
@Component
@EnableConfigurationProperties(OAuth2ProviderProperties.class)
public class OpenBankingProviders {

    private final SandboxProvider sandbox;
    private final OAuth2Provider live;

    public OpenBankingProviders(SandboxProvider sandbox, OAuth2ProviderProperties liveProperties) {
        this.sandbox = sandbox;
        this.live = liveProperties.configured() ? new OAuth2Provider(liveProperties) : null;
    }

    public OpenBankingProvider forIntent(boolean test) {
        if (test) {
            return sandbox;
        }
        if (live == null) {
            throw new BusinessRuleException(ErrorCode.LIVE_PROVIDER_NOT_CONFIGURED);
        }
        return live;
    }
}
