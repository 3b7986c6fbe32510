package com.bankaccounts.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.app.ApiTestSupport;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import com.bankaccounts.platform.testing.ApiClient;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Objects;
import java.util.stream.IntStream;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A node may still run a rebuild's processor after that rebuild was switched in by another node (for up to a tick, or
 * with a batch that waited for the switch's locks), and then see a newer rebuild start. What it holds of its run, its
 * view of the token store and its error reporting, must then do nothing: store no progress (nor its batch's writes,
 * in the same transaction), claim nothing of the newer rebuild, and record no error against either rebuild. Only a
 * failure of the rebuild that runs is its error. Deterministic: the "other node" is this run's token store and error
 * reporting, driven by hand at the moments that race in a real cluster.
 */
class EndedRebuildTest extends ApiTestSupport {

    private static final String NAME = "funds-transfers";
    private static final String PROCESSOR = NAME + ProjectionRebuilds.SUFFIX;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Autowired
    private ProjectionRebuilds rebuilds;
    @Autowired
    private TokenStore tokenStore;
    @Autowired
    private ConnectionProvider connectionProvider;
    @Autowired
    @Qualifier("serializer")
    private Serializer serializer;
    @Autowired
    private PlatformTransactionManager transactionManager;

    @AfterEach
    void letTheSwitchGo() {
        rebuilds.holdSwitch(NAME, false);
    }

    @Test
    void aRunOfAnEndedRebuildStoresNothingClaimsNothingAndRecordsNoError() {
        TestAccount account = newAccount(true);
        String bankAccount = createBankAccount(account, uniqueTestNumber()).text("id");
        api.post("/api/funds-transfers", account.key(), ApiClient.map(
                "bankAccountId", bankAccount, "type", "withdrawal", "amount", "5"));
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);

        rebuilds.holdSwitch(NAME, true);
        rebuilds.replay(NAME);
        Timestamp first = rebuilds.running(NAME).orElseThrow();
        TokenStore firstRun = new ExistingTokensOnly(tokenStore, jdbc, NAME, first);
        await().atMost(TIMEOUT).until(() -> {
            ProjectionStatus status = rebuilds.status(NAME);
            return status.replaying() && status.rebuildPosition() == status.head();
        });
        // While it runs, its run stores progress (the run of the node holding segment 0: another application context
        // on this database runs the rebuild too, and may hold it), and a handler's failure is its error; a lost claim
        // is not.
        String holder = await().atMost(TIMEOUT).until(() -> jdbc.sql(
                        "SELECT token_owner FROM token_entry WHERE processor_name = ? AND segment = 0")
                .param(PROCESSOR).query(String.class).optional().orElse(null), Objects::nonNull);
        TokenStore holderRun = new ExistingTokensOnly(AxonJdbcConfiguration.tokenStore(connectionProvider, serializer,
                holder), jdbc, NAME, first);
        TrackingToken progress = transactions.execute(status -> holderRun.fetchToken(PROCESSOR, 0));
        transactions.executeWithoutResult(status -> holderRun.storeToken(progress, PROCESSOR, 0));
        rebuilds.recordError(NAME, first, new UnableToClaimTokenException("owned by another node"));
        assertThat(rebuilds.status(NAME).replayError()).isNull();
        rebuilds.recordError(NAME, first, new IllegalStateException("a handler failed"));
        assertThat(rebuilds.status(NAME).replayError()).isEqualTo("IllegalStateException");

        rebuilds.holdSwitch(NAME, false);
        await().atMost(TIMEOUT).until(() -> rebuilds.status(NAME).replayedEvents() != null);
        ProjectionStatus switched = rebuilds.status(NAME);
        assertThat(switched.replayFinishedAt()).isNotNull();
        assertThat(switched.replayError()).isNull();
        assertThat(rebuilds.running(NAME)).isEmpty();

        // Switched in: the run's batch that committed now would fail at its token (rolled back), and quietly.
        assertThatThrownBy(() -> transactions.executeWithoutResult(
                status -> firstRun.storeToken(progress, PROCESSOR, 0)))
                .isInstanceOf(ExistingTokensOnly.RebuildEnded.class);
        assertThat(firstRun.fetchSegments(PROCESSOR)).isEmpty();
        rebuilds.recordError(NAME, first, new IllegalStateException("a batch that waited for the switch"));
        assertThat(rebuilds.status(NAME)).isEqualTo(switched);

        // A newer rebuild: its rows have no owner yet, which Axon's store alone would let the old run claim.
        rebuilds.holdSwitch(NAME, true);
        rebuilds.replay(NAME);
        Timestamp second = rebuilds.running(NAME).orElseThrow();
        assertThat(second).isNotEqualTo(first);
        assertThatThrownBy(() -> transactions.executeWithoutResult(
                status -> firstRun.storeToken(progress, PROCESSOR, 0)))
                .isInstanceOf(ExistingTokensOnly.RebuildEnded.class);
        assertThatThrownBy(() -> transactions.execute(status -> firstRun.fetchToken(PROCESSOR, 0)))
                .isInstanceOf(ExistingTokensOnly.RebuildEnded.class);
        assertThat(firstRun.fetchAvailableSegments(PROCESSOR)).isEmpty();
        rebuilds.recordError(NAME, first, new IllegalStateException("the old run failed"));
        assertThat(rebuilds.status(NAME).replayError()).isNull();
        assertThat(new ExistingTokensOnly(tokenStore, jdbc, NAME, second).fetchSegments(PROCESSOR))
                .containsExactly(IntStream.range(0, ProjectionRebuilds.SEGMENTS).toArray());

        rebuilds.holdSwitch(NAME, false);
        await().atMost(TIMEOUT).until(() -> rebuilds.status(NAME).replayedEvents() != null);
        assertThat(rebuilds.status(NAME).replayError()).isNull();
        assertThat(rebuilds.status(NAME).replayStartedAt()).isNotEqualTo(switched.replayStartedAt());
    }
}
