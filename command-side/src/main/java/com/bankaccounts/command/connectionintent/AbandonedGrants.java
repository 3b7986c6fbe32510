package com.bankaccounts.command.connectionintent;

import com.bankaccounts.api.connectionintent.ConnectionIntentDeclinedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentFailedEvent;
import com.bankaccounts.api.connectionintent.FailConnectionIntentCommand;
import com.bankaccounts.command.connectionintent.provider.Pkce;
import com.bankaccounts.command.connectionintent.provider.TokenRevocations;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import java.time.Duration;
import java.util.Map;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Grants that will never be applied. A code exchange's grant is kept so that a retry after a failure (reading the
 * accounts, a broken rule) does not need the spent code again; but when the intent ends otherwise (failed, declined),
 * or is still not authorized {@link #LIFETIME} after the exchange, nothing will ever use it, while the provider still
 * holds the business's access. So: when the intent ends, in that transaction (the registry's subscribing group), the
 * kept grant is forgotten, its refresh token shredded and, for a live intent, revoked at the provider
 * ({@link TokenRevocations}); and every {@link #SWEEP} one node fails the intents whose grant outlived its lifetime,
 * which ends them so.
 */
@Component
@ProcessingGroup(ConnectionIntentRegistryUpdater.PROCESSING_GROUP)
public class AbandonedGrants {

    static final Duration LIFETIME = Duration.ofHours(1);
    /** How often one node (a recurring db-scheduler task, SchedulingConfiguration) looks for such grants. */
    public static final Duration SWEEP = Duration.ofMinutes(10);
    /** Who fails an intent whose grant outlived its lifetime, as its history names it. */
    static final String PRINCIPAL = "crn::system:grant-expiry";
    static final String REASON = "the grant was not applied within an hour";
    private static final Logger log = LoggerFactory.getLogger(AbandonedGrants.class);

    private final ConnectionIntentRegistry registry;
    private final KeptGrants keptGrants;
    private final CommandGateway commands;

    AbandonedGrants(ConnectionIntentRegistry registry, KeptGrants keptGrants, CommandGateway commands) {
        this.registry = registry;
        this.keptGrants = keptGrants;
        this.commands = commands;
    }

    @EventHandler
    void on(ConnectionIntentFailedEvent event) {
        forget(event.connectionIntentId());
    }

    @EventHandler
    void on(ConnectionIntentDeclinedEvent event) {
        forget(event.connectionIntentId());
    }

    private void forget(String connectionIntentId) {
        registry.lockGrant(connectionIntentId).filter(holder -> holder.keptGrant() != null).ifPresent(holder -> {
            boolean live = registry.find(connectionIntentId).map(intent -> !intent.test()).orElse(false);
            keptGrants.end(connectionIntentId, holder.grantCodeHash(), keptGrants.open(holder.keptGrant()), live);
            registry.clearGrant(connectionIntentId);
        });
    }

    /** Fails each intent still created whose grant outlived its lifetime, taking its claim as an authorization does. */
    public void failIntentsWithAbandonedGrants() {
        for (String connectionIntentId : registry.grantsKeptLongerThan(LIFETIME)) {
            String claim = Pkce.randomToken();
            if (!registry.claim(connectionIntentId, claim, LIFETIME)) {
                continue; // an authorization is applying it right now
            }
            try {
                // The aggregate refuses an intent that ended meanwhile.
                commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                                new FailConnectionIntentCommand(connectionIntentId, REASON))
                        .andMetaData(Map.of(AxonJdbcConfiguration.PRINCIPAL, PRINCIPAL)));
            } catch (RuntimeException e) {
                log.warn("Could not fail intent {} whose grant was not applied: {}", connectionIntentId, e.toString());
            } finally {
                registry.release(connectionIntentId, claim);
            }
        }
    }
}
