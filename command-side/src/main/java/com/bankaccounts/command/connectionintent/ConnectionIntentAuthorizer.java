package com.bankaccounts.command.connectionintent;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.connectionintent.AuthorizationOutcome;
import com.bankaccounts.api.connectionintent.AuthorizeConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.ConnectedAccount;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.api.connectionintent.FailConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.command.connectionintent.ConnectionIntentRegistry.GrantHolder;
import com.bankaccounts.command.connectionintent.ConnectionIntentRegistry.RegisteredIntent;
import com.bankaccounts.command.connectionintent.KeptGrants.KeptGrant;
import com.bankaccounts.command.connectionintent.provider.AccessTokenRejectedException;
import com.bankaccounts.command.connectionintent.provider.AuthorizationCodeRejectedException;
import com.bankaccounts.command.connectionintent.provider.OAuth2ProviderProperties;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.CodeExchange;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderGrant;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProviders;
import com.bankaccounts.command.connectionintent.provider.Pkce;
import com.bankaccounts.command.connectionintent.provider.ProviderFailureException;
import com.bankaccounts.command.connectionintent.provider.ProviderCallLimiter;
import com.bankaccounts.platform.crypto.ConsentTokens;
import com.bankaccounts.platform.crypto.TokenCipher;
import com.bankaccounts.platform.security.Secrets;
import com.bankaccounts.platform.web.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The part of an authorization that cannot live in the aggregate: a command handler runs in a transaction, and a
 * provider call must not hold one (nor be repeated when a command is retried). So, with no transaction open:
 * <ol>
 *   <li>claim the intent's one authorization in flight in the database, on any process (another meanwhile answers
 *       409 AUTHORIZATION_IN_PROGRESS), and ask the registry's copy whether it may still be authorized (status,
 *       state) before the code is spent - by the aggregate's own rule; the aggregate decides again when applying;</li>
 *   <li>exchange the code, once, and encrypt the refresh token at once (under a data key of its own,
 *       {@link ConsentTokens}): the grant is kept (encrypted) until it is
 *       applied, so a retry with the same code after a later failure (reading the accounts, a broken rule) uses it
 *       instead of the spent code;</li>
 *   <li>read the accounts with the grant's access token; one the provider refuses (it expired while the grant was
 *       kept, say) is renewed once with the refresh token, and the renewed grant kept in its place;</li>
 *   <li>send {@link AuthorizeConnectionIntentCommand} (the aggregate decides, {@link ConsentGrantedLinker} links in
 *       the same transaction), or {@link FailConnectionIntentCommand} when the provider refused the code.</li>
 * </ol>
 */
@Service
public class ConnectionIntentAuthorizer {

    private static final Logger log = LoggerFactory.getLogger(ConnectionIntentAuthorizer.class);
    private static final Duration SLOT_WAIT = Duration.ofSeconds(2);

    private final CommandGateway commands;
    private final ConnectionIntentRegistry registry;
    private final OpenBankingProviders providers;
    private final TokenCipher cipher;
    private final ConsentTokens tokens;
    private final KeptGrants keptGrants;
    private final TransactionTemplate transaction;
    private final ProviderCallLimiter limiter;
    private final Duration claimAbandonedAfter;

    public ConnectionIntentAuthorizer(CommandGateway commands, ConnectionIntentRegistry registry,
                                      OpenBankingProviders providers, TokenCipher cipher, ConsentTokens tokens,
                                      KeptGrants keptGrants, PlatformTransactionManager transactionManager,
                                      OAuth2ProviderProperties providerProperties,
                                      @Value("${app.open-banking.max-concurrent-calls:5}") int maxCalls) {
        this.commands = commands;
        this.registry = registry;
        this.providers = providers;
        this.cipher = cipher;
        this.tokens = tokens;
        this.keptGrants = keptGrants;
        this.transaction = new TransactionTemplate(transactionManager);
        this.limiter = new ProviderCallLimiter(maxCalls, SLOT_WAIT);
        // Four provider calls (the exchange, the accounts, a refresh, the accounts again) with their waits for a
        // slot, and room for applying the grant.
        this.claimAbandonedAfter = providerProperties.readTimeout().plus(SLOT_WAIT).multipliedBy(4)
                .plus(Duration.ofSeconds(30));
    }

    /** The intent exists (the caller has checked that it may see it). */
    public AuthorizationOutcome authorize(String connectionIntentId, String code, String state) {
        String claim = Pkce.randomToken();
        if (!registry.claim(connectionIntentId, claim, claimAbandonedAfter)) {
            throw new ApiException(HttpStatus.CONFLICT, ErrorCode.AUTHORIZATION_IN_PROGRESS);
        }
        try {
            // Read under the claim: a claim taken after another's release sees that one's committed outcome.
            RegisteredIntent intent = registry.find(connectionIntentId).orElseThrow();
            ConnectionIntent.requireAuthorizable(intent.status(), intent.legacyRequest(), intent.state(), state);
            if (intent.expired(Instant.now())) {
                // Refused before the code is spent: the provider keeps no grant for a consent that has ended.
                commands.sendAndWait(new FailConnectionIntentCommand(connectionIntentId,
                        ConnectionIntent.EXPIRED_BEFORE_AUTHORIZED));
                return AuthorizationOutcome.CONSENT_EXPIRED;
            }
            OpenBankingProvider provider = providers.forIntent(intent.test());
            String codeHash = Secrets.hash(code);
            KeptGrant grant = registry.keptGrant(connectionIntentId, codeHash).map(keptGrants::open).orElse(null);
            if (grant == null) {
                ProviderGrant exchanged;
                try {
                    CodeExchange exchange = new CodeExchange(connectionIntentId, code,
                            cipher.decrypt(intent.encryptedCodeVerifier()), intent.redirectUri());
                    exchanged = limiter.call(() -> provider.exchange(exchange));
                } catch (AuthorizationCodeRejectedException e) {
                    commands.sendAndWait(new FailConnectionIntentCommand(connectionIntentId, e.getMessage()));
                    return AuthorizationOutcome.CODE_REJECTED;
                }
                KeptGrant fresh = new KeptGrant(exchanged.accessToken(),
                        tokens.encrypt(exchanged.refreshToken()),
                        exchanged.consentId());
                String status = transaction.execute(tx -> keep(intent, codeHash, fresh));
                // Declined while the code was exchanged: the grant was ended, and the intent answers why.
                ConnectionIntent.requireAuthorizable(status, intent.legacyRequest(), intent.state(), state);
                grant = fresh;
            }
            AccountsRead read = intent.type() == ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT
                    ? readAccounts(provider, intent, codeHash, grant, state)
                    : new AccountsRead(grant, List.of());
            // The aggregate decides again: the consent may have ended while the code was exchanged.
            return commands.sendAndWait(new AuthorizeConnectionIntentCommand(connectionIntentId, state,
                    read.grant().encryptedRefreshToken(), read.grant().consentId(), read.accounts()));
        } finally {
            release(connectionIntentId, claim);
        }
    }

    /**
     * Keeps a code's grant for a retry, with the intent's row locked (a decline, which forgets the kept grant in its
     * transaction, {@link AbandonedGrants}, either comes after and ends this one, or came before and is seen here).
     * A grant nothing will apply is ended at once (shredded, and revoked at a live provider): this one when the intent
     * ended meanwhile, and another code's that this one replaces (kept when its accounts could not be read). Answers
     * the intent's status.
     */
    private String keep(RegisteredIntent intent, String codeHash, KeptGrant grant) {
        String connectionIntentId = intent.connectionIntentId();
        GrantHolder holder = registry.lockGrant(connectionIntentId).orElseThrow();
        if (!ConnectionIntentResponse.STATUS_CREATED.equals(holder.status())) {
            keptGrants.end(connectionIntentId, codeHash, grant, !intent.test());
            return holder.status();
        }
        if (holder.keptGrant() != null) {
            keptGrants.end(connectionIntentId, holder.grantCodeHash(), keptGrants.open(holder.keptGrant()),
                    !intent.test());
        }
        registry.keepGrant(connectionIntentId, codeHash, keptGrants.seal(grant));
        return holder.status();
    }

    /** The accounts a grant gives access to, and the grant they were read with: the renewed one, if it was. */
    private record AccountsRead(KeptGrant grant, List<ConnectedAccount> accounts) {
    }

    /**
     * The grant's accounts. An access token the provider refuses is renewed once, and the accounts read with the
     * renewed grant; when that fails, an intent declined or failed meanwhile (its grant ended: shredded here, revoked
     * at the provider, which then refuses it) answers why, not that the provider failed.
     */
    private AccountsRead readAccounts(OpenBankingProvider provider, RegisteredIntent intent, String codeHash,
                                      KeptGrant grant, String state) {
        try {
            return new AccountsRead(grant, accounts(provider, grant));
        } catch (AccessTokenRejectedException refused) {
            try {
                KeptGrant renewed = renew(provider, intent, codeHash, grant, state, refused);
                return new AccountsRead(renewed, accounts(provider, renewed));
            } catch (ProviderFailureException failed) {
                RegisteredIntent now = registry.find(intent.connectionIntentId()).orElseThrow();
                ConnectionIntent.requireAuthorizable(now.status(), intent.legacyRequest(), intent.state(), state);
                throw failed;
            }
        }
    }

    private List<ConnectedAccount> accounts(OpenBankingProvider provider, KeptGrant grant) {
        ProviderGrant forReading = new ProviderGrant(grant.accessToken(), null, grant.consentId());
        return limiter.call(() -> provider.accounts(forReading)).stream()
                .map(account -> new ConnectedAccount(account.accountNumber(), account.name()))
                .toList();
    }

    /**
     * The grant with a new access token from its refresh token, kept in its place for later retries; {@code refused}
     * when it has no refresh token (or it was shredded: the intent ended meanwhile). A renewal does not extend how
     * long the grant is kept ({@link AbandonedGrants}).
     */
    private KeptGrant renew(OpenBankingProvider provider, RegisteredIntent intent, String codeHash, KeptGrant grant,
                            String state, AccessTokenRejectedException refused) {
        String refreshToken = Optional.ofNullable(grant.encryptedRefreshToken()).flatMap(tokens::decrypt)
                .orElseThrow(() -> refused);
        ProviderGrant refreshed = limiter.call(() -> provider.refresh(refreshToken));
        Renewal renewal = transaction.execute(tx -> keepRenewed(intent, codeHash, grant, refreshed));
        ConnectionIntent.requireAuthorizable(renewal.status(), intent.legacyRequest(), intent.state(), state);
        if (renewal.grant() == null) {
            throw new ApiException(HttpStatus.CONFLICT, ErrorCode.AUTHORIZATION_IN_PROGRESS);
        }
        return renewal.grant();
    }

    /** The intent's status, and the renewed grant if it was kept. */
    private record Renewal(String status, KeptGrant grant) {
    }

    /**
     * Keeps a renewed grant in place of the one it renews, with the intent's row locked as {@link #keep} does, and its
     * refresh token encrypted in the same transaction. A refresh token the provider issued in place of the old one
     * replaces it, and the old one is shredded, not revoked: revoking it could revoke the grant with it (RFC 7009
     * section 2.1). Kept only while the row still holds the grant renewed. Otherwise a refresh token issued in its
     * place is ended: revoked at a live provider when the intent failed or was declined (nothing applies its grant),
     * only shredded when another authorization (this one's claim taken for abandoned) applied or renewed it, since
     * revoking it could revoke theirs.
     */
    private Renewal keepRenewed(RegisteredIntent intent, String codeHash, KeptGrant old, ProviderGrant refreshed) {
        String connectionIntentId = intent.connectionIntentId();
        GrantHolder holder = registry.lockGrant(connectionIntentId).orElseThrow();
        boolean rotated = refreshed.refreshToken() != null;
        KeptGrant renewed = new KeptGrant(refreshed.accessToken(),
                rotated ? tokens.encrypt(refreshed.refreshToken()) : old.encryptedRefreshToken(),
                refreshed.consentId() == null ? old.consentId() : refreshed.consentId());
        boolean created = ConnectionIntentResponse.STATUS_CREATED.equals(holder.status());
        if (!created || !holdsGrant(holder, codeHash, old)) {
            if (rotated) {
                boolean nothingApplies = !created
                        && !ConnectionIntentResponse.STATUS_AUTHORIZED.equals(holder.status());
                // Its revocation is named by the new ciphertext's hash: the old grant's is named by the code.
                keptGrants.end(connectionIntentId, Secrets.hash(renewed.encryptedRefreshToken()), renewed,
                        nothingApplies && !intent.test());
            }
            return new Renewal(holder.status(), null);
        }
        if (rotated) {
            tokens.shred(old.encryptedRefreshToken());
        }
        registry.replaceGrant(connectionIntentId, codeHash, keptGrants.seal(renewed));
        return new Renewal(holder.status(), renewed);
    }

    /** Whether the intent's row still keeps that grant of that code (not one another authorization renewed). */
    private boolean holdsGrant(GrantHolder holder, String codeHash, KeptGrant grant) {
        return codeHash.equals(holder.grantCodeHash()) && holder.keptGrant() != null
                && Objects.equals(keptGrants.open(holder.keptGrant()).encryptedRefreshToken(),
                        grant.encryptedRefreshToken());
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

}
