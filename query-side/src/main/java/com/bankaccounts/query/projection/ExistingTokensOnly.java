package com.bankaccounts.query.projection;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The token store as one run of a rebuild processor sees it: the tokens of the one rebuild it was started for (known
 * by its {@code started_at}), and nothing else. A rebuild exists while its token rows do; they are made only when an
 * admin starts one and removed by the switch (or when it is abandoned). A node may still run a rebuild's processor
 * after that, for up to a tick (or with a batch that waited for the switch's locks): it must neither create tokens,
 * nor claim those of a newer rebuild, nor store its progress (and the writes of its batch, in the same transaction)
 * once its rebuild is over. It sees no segment then, and a claim or store fails with {@link RebuildEnded}, which the
 * processor's error handler takes for what it is: not an error of any rebuild.
 */
final class ExistingTokensOnly implements TokenStore {

    private final TokenStore delegate;
    private final JdbcClient jdbc;
    private final String projection;
    private final Timestamp startedAt;

    ExistingTokensOnly(TokenStore delegate, JdbcClient jdbc, String projection, Timestamp startedAt) {
        this.delegate = delegate;
        this.jdbc = jdbc;
        this.projection = projection;
        this.startedAt = startedAt;
    }

    /** A claim or store by the processor of a rebuild that is over (switched in, abandoned, or started again). */
    static final class RebuildEnded extends UnableToClaimTokenException {
        RebuildEnded(String processorName, int segment) {
            super("The rebuild that " + processorName + "[" + segment + "] was started for is over");
        }
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount) {
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount, TrackingToken initialToken) {
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segment) {
        // Locks the row first: a switch holding it ends first, and then the row is gone (or a newer rebuild's).
        requireThisRebuild(processorName, segment);
        delegate.storeToken(token, processorName, segment);
    }

    @Override
    public TrackingToken fetchToken(String processorName, int segment) {
        requireThisRebuild(processorName, segment);
        return delegate.fetchToken(processorName, segment);
    }

    @Override
    public TrackingToken fetchToken(String processorName, Segment segment) {
        requireThisRebuild(processorName, segment.getSegmentId());
        return delegate.fetchToken(processorName, segment);
    }

    @Override
    public void extendClaim(String processorName, int segment) {
        requireThisRebuild(processorName, segment);
        delegate.extendClaim(processorName, segment);
    }

    @Override
    public void releaseClaim(String processorName, int segment) {
        delegate.releaseClaim(processorName, segment);
    }

    @Override
    public void initializeSegment(TrackingToken token, String processorName, int segment) {
        delegate.initializeSegment(token, processorName, segment);
    }

    @Override
    public void deleteToken(String processorName, int segment) {
        delegate.deleteToken(processorName, segment);
    }

    @Override
    public boolean requiresExplicitSegmentInitialization() {
        return delegate.requiresExplicitSegmentInitialization();
    }

    @Override
    public int[] fetchSegments(String processorName) {
        return thisRebuildRuns(processorName) ? delegate.fetchSegments(processorName) : new int[0];
    }

    @Override
    public List<Segment> fetchAvailableSegments(String processorName) {
        return thisRebuildRuns(processorName) ? delegate.fetchAvailableSegments(processorName) : List.of();
    }

    @Override
    public Optional<String> retrieveStorageIdentifier() {
        return delegate.retrieveStorageIdentifier();
    }

    private void requireThisRebuild(String processorName, int segment) {
        boolean current = !jdbc.sql("""
                        SELECT t.segment FROM token_entry t
                        JOIN projection_rebuild r ON r.projection_name = ? AND r.started_at = ? AND r.finished_at IS NULL
                        WHERE t.processor_name = ? AND t.segment = ?
                        FOR UPDATE OF t""")
                .params(projection, startedAt, processorName, segment).query(Integer.class).list().isEmpty();
        if (!current) {
            throw new RebuildEnded(processorName, segment);
        }
    }

    private boolean thisRebuildRuns(String processorName) {
        return jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM token_entry t
                                       JOIN projection_rebuild r ON r.projection_name = ? AND r.started_at = ?
                                                                    AND r.finished_at IS NULL
                                       WHERE t.processor_name = ?)""")
                .params(projection, startedAt, processorName).query(Boolean.class).single();
    }
}
