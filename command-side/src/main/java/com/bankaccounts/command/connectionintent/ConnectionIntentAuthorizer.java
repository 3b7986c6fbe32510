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
import com.bankaccounts.command.connectionintent.provider.OAuth2ProviderProperties;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.CodeExchange;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderGrant;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProviders;
import com.bankaccounts.command.connectionintent.provider.Pkce;
import com.bankaccounts.command.connectionintent.provider.ProviderCallLimiter;
import com.bankaccounts.platform.crypto.TokenCipher;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.security.Secrets;
import com.bankaccounts.platform.web.ApiException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Authorizes an intent in steps, none of which holds a transaction while the provider is called:
 * <ol>
 *   <li>claim the intent's one authorization in flight, on any process (another meanwhile answers 409
 *       AUTHORIZATION_IN_PROGRESS), then check that it may still be authorized (status, state);</li>
 *   <li>exchange the code, once: the grant is kept (encrypted) until it is applied, so a retry with the same code
 *       after a later failure (reading the accounts, a broken rule) uses it instead of the spent code;</li>
 *   <li>apply the grant in one transaction ({@link ConnectionIntentAuthorizationHandler}), or fail the intent when
 *       the provider refused the code.</li>
 * </ol>
 */
@Service
public class ConnectionIntentAuthorizer {

    private static final Logger log = LoggerFactory.getLogger(ConnectionIntentAuthorizer.class);
    private static final Duration SLOT_WAIT = Duration.ofSeconds(2);

    private final CallerCommands commands;
    private final ConnectionIntentRegistry registry;
    private final OpenBankingProviders providers;
    private final TokenCipher cipher;
    private final ProviderCallLimiter limiter;
    private final Duration claimAbandonedAfter;

    public ConnectionIntentAuthorizer(CallerCommands commands, ConnectionIntentRegistry registry,
                                      OpenBankingProviders providers, TokenCipher cipher,
                                      OAuth2ProviderProperties providerProperties,
                                      @Value("${app.open-banking.max-concurrent-calls:5}") int maxCalls) {
        this.commands = commands;
        this.registry = registry;
        this.providers = providers;
        this.cipher = cipher;
        this.limiter = new ProviderCallLimiter(maxCalls, SLOT_WAIT);
        // Two provider calls with their waits for a slot, and room for applying the grant.
        this.claimAbandonedAfter = providerProperties.readTimeout().plus(SLOT_WAIT).multipliedBy(2)
                .plus(Duration.ofSeconds(30));
    }

    public AuthorizationOutcome authorize(Caller caller, String connectionIntentId, String code, String state) {
        String claim = Pkce.randomToken();
        if (!registry.claim(connectionIntentId, claim, claimAbandonedAfter)) {
            throw new ApiException(HttpStatus.CONFLICT, "AUTHORIZATION_IN_PROGRESS");
        }
        try {
            // Checked under the claim: a claim taken after another's release sees that one's committed outcome.
            PendingAuthorization pending =
                    commands.send(caller, new BeginConnectionIntentAuthorizationCommand(connectionIntentId, state));
            OpenBankingProvider provider = providers.forIntent(pending.test());
            String codeHash = Secrets.hash(code);
            ProviderGrant grant = registry.keptGrant(connectionIntentId, codeHash).map(this::decryptGrant)
                    .orElse(null);
            if (grant == null) {
                try {
                    CodeExchange exchange = new CodeExchange(connectionIntentId, code,
                            cipher.decrypt(pending.encryptedCodeVerifier()), pending.redirectUri());
                    grant = limiter.call(() -> provider.exchange(exchange));
                } catch (AuthorizationCodeRejectedException e) {
                    commands.send(caller, new FailConnectionIntentCommand(connectionIntentId, e.getMessage()));
                    return AuthorizationOutcome.CODE_REJECTED;
                }
                registry.keepGrant(connectionIntentId, codeHash, encryptGrant(grant));
            }
            ProviderGrant granted = grant;
            List<ConnectedAccount> accounts = pending.type() == ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT
                    ? limiter.call(() -> provider.accounts(granted)).stream()
                            .map(account -> new ConnectedAccount(account.accountNumber(), account.name()))
                            .toList()
                    : List.of();
            commands.send(caller, new AuthorizeConnectionIntentCommand(connectionIntentId, grant.refreshToken(),
                    grant.consentId(), accounts));
            return AuthorizationOutcome.AUTHORIZED;
        } finally {
            release(connectionIntentId, claim);
        }
    }

    /** A failed release must not hide the outcome: the claim is abandoned after a while anyway. */
    private void release(String connectionIntentId, String claim) {
        try {
            registry.release(connectionIntentId, claim);
        } catch (RuntimeException e) {
            log.warn("Could not release the authorization claim of intent {}: {}", connectionIntentId,
                    e.getClass().getSimpleName());
        }
    }

    private String encryptGrant(ProviderGrant grant) {
        return cipher.encrypt(String.join("\n", grant.accessToken(), grant.refreshToken(),
                grant.consentId() == null ? "" : grant.consentId()));
    }

    private ProviderGrant decryptGrant(String kept) {
        String[] parts = cipher.decrypt(kept).split("\n", -1);
        return new ProviderGrant(parts[0], parts[1], parts[2].isEmpty() ? null : parts[2]);
    }
}
