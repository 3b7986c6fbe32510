package com.bankaccounts.command.connectionintent;

import com.bankaccounts.api.connectionintent.AuthorizationOutcome;
import com.bankaccounts.api.connectionintent.AuthorizeConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.AuthorizeConnectionIntentCommand.ConnectedAccount;
import com.bankaccounts.api.connectionintent.BeginConnectionIntentAuthorizationCommand;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.api.connectionintent.FailConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.PendingAuthorization;
import com.bankaccounts.command.common.CallerCommands;
import com.bankaccounts.command.connectionintent.provider.AuthorizationCodeRejectedException;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.CodeExchange;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderGrant;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProviders;
import com.bankaccounts.command.connectionintent.provider.ProviderCallLimiter;
import com.bankaccounts.platform.crypto.TokenCipher;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ApiException;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Authorizes an intent in three steps, none of which holds a transaction while the provider is called:
 * <ol>
 *   <li>check that the intent may still be authorized (status, state) and claim its one code exchange, on any
 *       process (a second authorization meanwhile answers 409 AUTHORIZATION_IN_PROGRESS);</li>
 *   <li>exchange the code (and read the accounts), at most a few calls at once per process;</li>
 *   <li>apply the grant in one transaction ({@link ConnectionIntentAuthorizationHandler}), or fail the intent when
 *       the provider refused the code.</li>
 * </ol>
 * A provider failure changes nothing, so the client may retry with the same code.
 */
@Service
public class ConnectionIntentAuthorizer {

    /** Longer than the longest exchange (two calls of at most the read timeout, plus the wait for a call slot). */
    static final Duration EXCHANGE_CLAIM = Duration.ofMinutes(1);

    private final CallerCommands commands;
    private final ConnectionIntentRegistry registry;
    private final OpenBankingProviders providers;
    private final TokenCipher cipher;
    private final ProviderCallLimiter limiter;

    public ConnectionIntentAuthorizer(CallerCommands commands, ConnectionIntentRegistry registry,
                                      OpenBankingProviders providers, TokenCipher cipher,
                                      @Value("${app.open-banking.max-concurrent-calls:5}") int maxCalls) {
        this.commands = commands;
        this.registry = registry;
        this.providers = providers;
        this.cipher = cipher;
        this.limiter = new ProviderCallLimiter(maxCalls, Duration.ofSeconds(2));
    }

    public AuthorizationOutcome authorize(Caller caller, String connectionIntentId, String code, String state) {
        PendingAuthorization pending =
                commands.send(caller, new BeginConnectionIntentAuthorizationCommand(connectionIntentId, state));
        if (!registry.claimExchange(connectionIntentId, EXCHANGE_CLAIM)) {
            throw new ApiException(HttpStatus.CONFLICT, "AUTHORIZATION_IN_PROGRESS");
        }
        try {
            OpenBankingProvider provider = providers.forIntent(pending.test());
            ProviderGrant grant;
            try {
                CodeExchange exchange = new CodeExchange(connectionIntentId, code,
                        cipher.decrypt(pending.encryptedCodeVerifier()), pending.redirectUri());
                grant = limiter.call(() -> provider.exchange(exchange));
            } catch (AuthorizationCodeRejectedException e) {
                commands.send(caller, new FailConnectionIntentCommand(connectionIntentId, e.getMessage()));
                return AuthorizationOutcome.CODE_REJECTED;
            }
            List<ConnectedAccount> accounts = pending.type() == ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT
                    ? limiter.call(() -> provider.accounts(grant)).stream()
                            .map(account -> new ConnectedAccount(account.accountNumber(), account.name()))
                            .toList()
                    : List.of();
            commands.send(caller, new AuthorizeConnectionIntentCommand(connectionIntentId, grant.refreshToken(),
                    grant.consentId(), accounts));
            return AuthorizationOutcome.AUTHORIZED;
        } finally {
            registry.releaseExchange(connectionIntentId);
        }
    }
}
