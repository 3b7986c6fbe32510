package com.bankaccounts.command.connectionintent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.connectionintent.AuthorizationOutcome;
import com.bankaccounts.api.connectionintent.AuthorizeConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.ConnectedAccount;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.api.connectionintent.FailConnectionIntentCommand;
import com.bankaccounts.command.connectionintent.ConnectionIntentRegistry.RegisteredIntent;
import com.bankaccounts.command.connectionintent.KeptGrants.KeptGrant;
import com.bankaccounts.command.connectionintent.provider.AccessTokenRejectedException;
import com.bankaccounts.command.connectionintent.provider.AuthorizationCodeRejectedException;
import com.bankaccounts.command.connectionintent.provider.OAuth2ProviderProperties;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderAccount;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderGrant;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProviders;
import com.bankaccounts.command.connectionintent.provider.ProviderFailureException;
import com.bankaccounts.command.connectionintent.provider.TokenRevocations;
import com.bankaccounts.platform.crypto.ConsentTokens;
import com.bankaccounts.platform.crypto.TokenCipher;
import com.bankaccounts.platform.security.Secrets;
import com.bankaccounts.platform.web.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.PlatformTransactionManager;

/** What the authorizer does around the aggregate: the claim, the pre-check, the one exchange, the kept grant. */
class ConnectionIntentAuthorizerTest {

    private static final String INTENT_ID = "3KVjuKW2CZCJeJVqPxwkX7";
    private static final String STATE = "k8f3-state-9Qz";
    private static final String CODE = "the-code";

    private final TokenCipher cipher = new TokenCipher(new byte[32]);
    private final ConnectionIntentRegistry registry = mock(ConnectionIntentRegistry.class);
    private final OpenBankingProvider provider = mock(OpenBankingProvider.class);
    private final List<Object> sent = new ArrayList<>();
    private final List<String> kept = new ArrayList<>();
    private final TokenRevocations revocations = mock(TokenRevocations.class);
    private final ConsentTokens tokens = mock(ConsentTokens.class);
    private final KeptGrants keptGrants = new KeptGrants(cipher, tokens, revocations);
    private ConnectionIntentAuthorizer authorizer;

    @BeforeEach
    void setUp() {
        CommandGateway commands = mock(CommandGateway.class);
        when(commands.sendAndWait(any())).thenAnswer(call -> {
            sent.add(call.getArgument(0));
            return call.getArgument(0) instanceof AuthorizeConnectionIntentCommand
                    ? AuthorizationOutcome.AUTHORIZED : null;
        });
        OpenBankingProviders providers = mock(OpenBankingProviders.class);
        when(providers.forIntent(true)).thenReturn(provider);
        when(providers.forIntent(false)).thenReturn(provider);
        OAuth2ProviderProperties properties = mock(OAuth2ProviderProperties.class);
        when(properties.readTimeout()).thenReturn(Duration.ofSeconds(1));
        when(registry.claim(eq(INTENT_ID), anyString(), any())).thenReturn(true);
        when(registry.keptGrant(any(), any())).thenReturn(Optional.empty());
        doAnswer(call -> kept.add(call.getArgument(2))).when(registry)
                .keepGrant(eq(INTENT_ID), eq(Secrets.hash(CODE)), anyString());
        registered(ConnectionIntentResponse.STATUS_CREATED, ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT);
        when(provider.accounts(any())).thenReturn(List.of(new ProviderAccount("12-3456-7654321-00", "Everyday")));
        // The envelope's data keys are the database's (HTTP tests); here the server key stands in for them.
        when(tokens.encrypt(any())).thenAnswer(call -> cipher.encrypt(call.getArgument(0)));
        when(tokens.decrypt(any())).thenAnswer(call -> Optional.of(cipher.decrypt(call.getArgument(0))));
        // The intent's row: the grant last kept or renewed.
        when(registry.lockGrant(INTENT_ID)).thenAnswer(call -> Optional.of(new ConnectionIntentRegistry.GrantHolder(
                ConnectionIntentResponse.STATUS_CREATED, kept.isEmpty() ? null : Secrets.hash(CODE),
                kept.isEmpty() ? null : kept.get(kept.size() - 1))));
        doAnswer(call -> kept.add(call.getArgument(2))).when(registry)
                .replaceGrant(eq(INTENT_ID), eq(Secrets.hash(CODE)), anyString());
        // The transaction only brackets the registry's statements, which are mocked here.
        authorizer = new ConnectionIntentAuthorizer(commands, registry, providers, cipher, tokens,
                keptGrants, mock(PlatformTransactionManager.class),
                properties, 2);
    }

    @Test
    void theRefreshTokenIsEncryptedRightAfterTheExchangeAndOnlyItsCiphertextIsSent() {
        when(provider.exchange(any())).thenReturn(new ProviderGrant("access", "plain-refresh", "consent"));

        assertThat(authorizer.authorize(INTENT_ID, CODE, STATE)).isEqualTo(AuthorizationOutcome.AUTHORIZED);

        AuthorizeConnectionIntentCommand command = (AuthorizeConnectionIntentCommand) sent.get(0);
        assertThat(command.encryptedRefreshToken()).isNotEqualTo("plain-refresh").doesNotContain("plain-refresh");
        assertThat(cipher.decrypt(command.encryptedRefreshToken())).isEqualTo("plain-refresh");
        assertThat(command.state()).isEqualTo(STATE);
        assertThat(command.consentId()).isEqualTo("consent");
        assertThat(command.accounts()).containsExactly(new ConnectedAccount("12-3456-7654321-00", "Everyday"));
        verify(registry).release(eq(INTENT_ID), anyString());
    }

    @Test
    void aProviderWithoutRefreshTokensIsAuthorizedWithNone() {
        when(provider.exchange(any())).thenReturn(new ProviderGrant("access", null, null));

        assertThat(authorizer.authorize(INTENT_ID, CODE, null)).isEqualTo(AuthorizationOutcome.AUTHORIZED);

        AuthorizeConnectionIntentCommand command = (AuthorizeConnectionIntentCommand) sent.get(0);
        assertThat(command.encryptedRefreshToken()).isNull();
        assertThat(command.consentId()).isNull();
    }

    @Test
    void aRetryWithTheSameCodeUsesTheKeptGrantAndTheSameCiphertext() {
        when(provider.exchange(any())).thenReturn(new ProviderGrant("access", "plain-refresh", "consent"));
        authorizer.authorize(INTENT_ID, CODE, STATE);
        when(registry.keptGrant(INTENT_ID, Secrets.hash(CODE))).thenReturn(Optional.of(kept.get(0)));

        authorizer.authorize(INTENT_ID, CODE, STATE);

        verify(provider, times(1)).exchange(any());
        assertThat(((AuthorizeConnectionIntentCommand) sent.get(1)).encryptedRefreshToken())
                .as("never decrypted and encrypted again")
                .isEqualTo(((AuthorizeConnectionIntentCommand) sent.get(0)).encryptedRefreshToken());
        assertThat(cipher.decrypt(kept.get(0))).doesNotContain("plain-refresh");
    }

    @Test
    void aGrantKeptBeforeTheRefreshTokenWasEncryptedOnItsOwnIsStillApplied() {
        when(registry.keptGrant(INTENT_ID, Secrets.hash(CODE)))
                .thenReturn(Optional.of(cipher.encrypt("access\nold-plain-refresh\nconsent")));

        authorizer.authorize(INTENT_ID, CODE, STATE);

        AuthorizeConnectionIntentCommand command = (AuthorizeConnectionIntentCommand) sent.get(0);
        assertThat(cipher.decrypt(command.encryptedRefreshToken())).isEqualTo("old-plain-refresh");
        verify(provider, never()).exchange(any());
    }

    @Test
    void aRefusedAccessTokenIsRenewedOnceAndTheRenewedGrantKeptInItsPlace() {
        when(provider.exchange(any())).thenReturn(new ProviderGrant("access", "plain-refresh", "consent"));
        when(provider.accounts(any())).thenThrow(new AccessTokenRejectedException())
                .thenReturn(List.of(new ProviderAccount("12-3456-7654321-00", "Everyday")));
        when(provider.refresh("plain-refresh")).thenReturn(new ProviderGrant("renewed", "renewed-refresh", null));

        assertThat(authorizer.authorize(INTENT_ID, CODE, STATE)).isEqualTo(AuthorizationOutcome.AUTHORIZED);

        AuthorizeConnectionIntentCommand command = (AuthorizeConnectionIntentCommand) sent.get(0);
        assertThat(cipher.decrypt(command.encryptedRefreshToken())).isEqualTo("renewed-refresh");
        assertThat(command.consentId()).as("the first's, the renewal named none").isEqualTo("consent");
        verify(registry).replaceGrant(eq(INTENT_ID), eq(Secrets.hash(CODE)), anyString());
        verify(tokens).shred(argThat(old -> cipher.decrypt(old).equals("plain-refresh")));
        verify(provider, times(2)).accounts(any());
    }

    @Test
    void aRefusedAccessTokenWithoutARefreshTokenIsAProviderError() {
        when(provider.exchange(any())).thenReturn(new ProviderGrant("access", null, "consent"));
        when(provider.accounts(any())).thenThrow(new AccessTokenRejectedException());

        assertThatThrownBy(() -> authorizer.authorize(INTENT_ID, CODE, STATE))
                .isInstanceOf(AccessTokenRejectedException.class);

        verify(provider, never()).refresh(any());
        assertThat(sent).isEmpty();
    }

    /** Nothing will apply a grant whose intent ended while it was renewed: the refresh token issued is ended. */
    @Test
    void aRefreshTokenIssuedWhileALiveIntentWasDeclinedIsRevoked() {
        when(registry.find(INTENT_ID)).thenReturn(Optional.of(new RegisteredIntent(INTENT_ID,
                ConnectionIntentResponse.STATUS_CREATED, false, false, ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT,
                STATE, null, cipher.encrypt("verifier"), null)));
        exchangedGrantWhoseAccessTokenIsRefused();
        when(provider.refresh("plain-refresh")).thenReturn(new ProviderGrant("renewed", "renewed-refresh", null));
        when(registry.lockGrant(INTENT_ID)).thenReturn(Optional.of(new ConnectionIntentRegistry.GrantHolder(
                ConnectionIntentResponse.STATUS_CREATED, null, null)), Optional.of(
                new ConnectionIntentRegistry.GrantHolder(ConnectionIntentResponse.STATUS_DECLINED, null, null)));

        assertRefusedAsDeclined();

        verify(revocations).end(startsWith(INTENT_ID + "/"),
                argThat(renewed -> cipher.decrypt(renewed).equals("renewed-refresh")), eq(true));
        verify(registry, never()).replaceGrant(any(), any(), any());
        assertThat(sent).isEmpty();
    }

    /** A refresh token shredded by a decline meanwhile: the answer says the intent was declined, not a 502. */
    @Test
    void aGrantEndedBeforeItsRenewalAnswersWhyItsIntentEnded() {
        when(registry.find(INTENT_ID)).thenReturn(Optional.of(intent(ConnectionIntentResponse.STATUS_CREATED)),
                Optional.of(intent(ConnectionIntentResponse.STATUS_DECLINED)));
        exchangedGrantWhoseAccessTokenIsRefused();
        doReturn(Optional.empty()).when(tokens).decrypt(any());

        assertRefusedAsDeclined();
        verify(provider, never()).refresh(any());
    }

    /**
     * Another authorization (this one's claim taken for abandoned) renewed the grant meanwhile: this one's renewal is
     * not kept (its new refresh token shredded, not revoked: that could revoke the other's), and it answers 409.
     */
    @Test
    void aRenewalOfAGrantAnotherAuthorizationRenewedMeanwhileIsNotKept() {
        exchangedGrantWhoseAccessTokenIsRefused();
        when(provider.refresh("plain-refresh")).thenAnswer(call -> {
            kept.add(keptGrants.seal(new KeptGrant("theirs", cipher.encrypt("their-refresh"), null)));
            return new ProviderGrant("renewed", "renewed-refresh", null);
        });

        assertThatThrownBy(() -> authorizer.authorize(INTENT_ID, CODE, STATE))
                .isInstanceOfSatisfying(ApiException.class,
                        refused -> assertThat(refused.getMessage()).isEqualTo("AUTHORIZATION_IN_PROGRESS"));

        verify(revocations).end(anyString(), argThat(renewed -> cipher.decrypt(renewed).equals("renewed-refresh")),
                eq(false));
        verify(tokens, never()).shred(any());
        verify(registry, never()).replaceGrant(any(), any(), any());
        assertThat(sent).isEmpty();
    }

    /** The provider refuses a grant a decline revoked meanwhile: the answer is the decline, not a 502. */
    @Test
    void aProviderFailureAfterADeclineMeanwhileAnswersTheDecline() {
        when(registry.find(INTENT_ID)).thenReturn(Optional.of(intent(ConnectionIntentResponse.STATUS_CREATED)),
                Optional.of(intent(ConnectionIntentResponse.STATUS_DECLINED)));
        exchangedGrantWhoseAccessTokenIsRefused();
        when(provider.refresh("plain-refresh")).thenThrow(ProviderFailureException.error());

        assertRefusedAsDeclined();
    }

    @Test
    void aProviderFailureAfterRenewalIsAProviderErrorWhileTheIntentMayStillBeAuthorized() {
        when(provider.exchange(any())).thenReturn(new ProviderGrant("access", "plain-refresh", "consent"));
        when(provider.accounts(any())).thenThrow(new AccessTokenRejectedException())
                .thenThrow(ProviderFailureException.unavailable());
        when(provider.refresh("plain-refresh")).thenReturn(new ProviderGrant("renewed", null, null));

        assertThatThrownBy(() -> authorizer.authorize(INTENT_ID, CODE, STATE))
                .isInstanceOfSatisfying(ProviderFailureException.class,
                        failed -> assertThat(failed.getMessage()).isEqualTo("PROVIDER_UNAVAILABLE"));
        verify(registry).replaceGrant(eq(INTENT_ID), eq(Secrets.hash(CODE)), anyString());
    }

    @Test
    void aRefusedCodeFailsTheIntent() {
        when(provider.exchange(any())).thenThrow(new AuthorizationCodeRejectedException("invalid_grant"));

        assertThat(authorizer.authorize(INTENT_ID, CODE, STATE)).isEqualTo(AuthorizationOutcome.CODE_REJECTED);

        assertThat(sent).containsExactly(new FailConnectionIntentCommand(INTENT_ID, "invalid_grant"));
        assertThat(kept).isEmpty();
    }

    @Test
    void anIntentNoLongerAuthorizableIsRefusedBeforeTheCodeIsSpent() {
        registered(ConnectionIntentResponse.STATUS_AUTHORIZED, ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT);

        assertThatThrownBy(() -> authorizer.authorize(INTENT_ID, CODE, STATE))
                .isInstanceOfSatisfying(BusinessRuleException.class,
                        refused -> assertThat(refused.code()).isEqualTo(ErrorCode.CONNECTION_INTENT_ALREADY_AUTHORIZED));
        verify(provider, never()).exchange(any());
        verify(registry).release(eq(INTENT_ID), anyString());
    }

    @Test
    void anotherStateIsRefusedBeforeTheCodeIsSpent() {
        assertThatThrownBy(() -> authorizer.authorize(INTENT_ID, CODE, "another-state"))
                .isInstanceOfSatisfying(BusinessRuleException.class,
                        refused -> assertThat(refused.code()).isEqualTo(ErrorCode.STATE_MISMATCH));
        verify(provider, never()).exchange(any());
    }

    @Test
    void aPaymentConsentDoesNotReadTheAccounts() {
        registered(ConnectionIntentResponse.STATUS_CREATED, ConnectionIntentType.ENDURING_PAYMENT_CONSENT);
        when(provider.exchange(any())).thenReturn(new ProviderGrant("access", "plain-refresh", "consent"));

        authorizer.authorize(INTENT_ID, CODE, STATE);

        verify(provider, never()).accounts(any());
        assertThat(((AuthorizeConnectionIntentCommand) sent.get(0)).accounts()).isEmpty();
    }

    @Test
    void anAuthorizationInFlightElsewhereIsAConflict() {
        when(registry.claim(eq(INTENT_ID), anyString(), any())).thenReturn(false);

        assertThatThrownBy(() -> authorizer.authorize(INTENT_ID, CODE, STATE))
                .isInstanceOfSatisfying(ApiException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(HttpStatus.CONFLICT);
                    assertThat(refused.getMessage()).isEqualTo("AUTHORIZATION_IN_PROGRESS");
                });
        verify(provider, never()).exchange(any());
    }

    @Test
    void aPaymentConsentPastItsEndFailsItsIntentBeforeTheCodeIsSpent() {
        when(registry.find(INTENT_ID)).thenReturn(Optional.of(new RegisteredIntent(INTENT_ID,
                ConnectionIntentResponse.STATUS_CREATED, false, true, ConnectionIntentType.ENDURING_PAYMENT_CONSENT,
                STATE, null, cipher.encrypt("verifier"), Instant.now().minusSeconds(1))));

        assertThat(authorizer.authorize(INTENT_ID, CODE, STATE)).isEqualTo(AuthorizationOutcome.CONSENT_EXPIRED);

        verify(provider, never()).exchange(any());
        assertThat(sent).containsExactly(new FailConnectionIntentCommand(INTENT_ID,
                ConnectionIntent.EXPIRED_BEFORE_AUTHORIZED));
        verify(registry).release(eq(INTENT_ID), anyString());
    }

    /** The code's grant, whose access token the provider's accounts endpoint then refuses. */
    private void exchangedGrantWhoseAccessTokenIsRefused() {
        when(provider.exchange(any())).thenReturn(new ProviderGrant("access", "plain-refresh", "consent"));
        when(provider.accounts(any())).thenThrow(new AccessTokenRejectedException());
    }

    private void assertRefusedAsDeclined() {
        assertThatThrownBy(() -> authorizer.authorize(INTENT_ID, CODE, STATE))
                .isInstanceOfSatisfying(BusinessRuleException.class,
                        refused -> assertThat(refused.code()).isEqualTo(ErrorCode.CONNECTION_INTENT_DECLINED));
    }

    private RegisteredIntent intent(String status) {
        return new RegisteredIntent(INTENT_ID, status, false, true, ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT,
                STATE, null, cipher.encrypt("verifier"), null);
    }

    private void registered(String status, ConnectionIntentType type) {
        when(registry.find(INTENT_ID)).thenReturn(Optional.of(new RegisteredIntent(INTENT_ID, status, false, true,
                type, STATE, null, cipher.encrypt("verifier"), null)));
    }
}
