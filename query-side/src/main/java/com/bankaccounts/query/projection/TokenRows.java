package com.bankaccounts.query.projection;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A processor's tokens read straight from {@code token_entry}, whoever holds their claims: what any node can tell of
 * a processor running anywhere. (The token store's own fetch would claim the segment.)
 */
final class TokenRows {

    private final JdbcClient jdbc;
    private final Serializer serializer;

    TokenRows(JdbcClient jdbc, Serializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    /** The processor's tokens, one per segment (null: from the start); empty when it has none. */
    List<TrackingToken> of(String processorName) {
        return read("SELECT token, token_type FROM token_entry WHERE processor_name = ? ORDER BY segment",
                processorName);
    }

    /** The same, locking the rows until the transaction ends, so that no segment stores a newer token meanwhile. */
    List<TrackingToken> lock(String processorName) {
        return read("SELECT token, token_type FROM token_entry WHERE processor_name = ? ORDER BY segment FOR UPDATE",
                processorName);
    }

    void delete(String processorName) {
        jdbc.sql("DELETE FROM token_entry WHERE processor_name = ?").param(processorName).update();
    }

    private List<TrackingToken> read(String sql, String processorName) {
        return jdbc.sql(sql).param(processorName).query((rs, row) -> {
            byte[] token = rs.getBytes("token");
            String type = rs.getString("token_type");
            return token == null || type == null ? null : (TrackingToken) serializer.deserialize(
                    new SimpleSerializedObject<>(token, byte[].class, type, null));
        }).list();
    }

    /** How far every segment has got: the lowest position (0 for a segment at the start). */
    static long position(List<TrackingToken> tokens) {
        return tokens.stream().mapToLong(token -> positionOf(token).orElse(0L)).min().orElse(0L);
    }

    /** Where every segment's events start from: the lower bound of all tokens (null: the start of the stream). */
    static TrackingToken lowerBound(List<TrackingToken> tokens) {
        if (tokens.stream().anyMatch(Objects::isNull)) {
            return null;
        }
        return tokens.stream().reduce(TrackingToken::lowerBound).orElse(null);
    }

    private static OptionalLong positionOf(TrackingToken token) {
        return token == null ? OptionalLong.empty() : token.position();
    }
}
