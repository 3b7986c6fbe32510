package com.bankaccounts.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.query.ReadModelDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A rebuild's held writes, sent at the flush, leave the rows exactly as the same statements run one by one do, on
 * PostgreSQL; a group of rows' same UPDATE goes as one multi-row statement.
 */
class BatchedWritesTest {

    private static final String TABLE = """
            CREATE TEMP TABLE %s (id text PRIMARY KEY, status text NOT NULL, modified_at timestamptz,
                modified_by text, version bigint NOT NULL, approved_at timestamptz, refresh_token text)""";
    private static final String INSERT = "INSERT INTO %s (id, status, modified_at, modified_by, version, approved_at,"
            + " refresh_token) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String MOVE = """
            UPDATE %s SET status = ?, modified_at = ?, modified_by = ?, version = ?,
                approved_at = CASE WHEN ? THEN COALESCE(approved_at, ?) ELSE approved_at END,
                refresh_token = CASE WHEN ? THEN NULL ELSE refresh_token END
            WHERE id = ? AND version < ?""";
    private static final OffsetDateTime AT = OffsetDateTime.of(2026, 6, 12, 1, 17, 46, 499_000_000, ZoneOffset.UTC);
    private static final int ROWS = 150; // more than two statements' worth of rows, and an odd remainder

    @Test
    void heldWritesEndAsTheSameStatementsRunOneByOne() throws SQLException {
        try (Connection connection = transactionWith("held_rows", "direct_rows")) {
            BatchedWrites held = BatchedWrites.over(connection, Set.of("held_rows"),
                    table -> new BatchedWrites.TableKey(List.of("id"), false));
            writeEverything(held.connection(), "held_rows");
            held.flush();
            held.close();
            // Inserts ran on cached plans; what runs after them in the rebuild's transaction is planned afresh again.
            try (Statement show = connection.createStatement();
                 ResultSet mode = show.executeQuery("SHOW plan_cache_mode")) {
                assertThat(mode.next()).isTrue();
                assertThat(mode.getString(1)).isEqualTo(ShadowTables.PLAN_CACHE_MODE);
            }
            writeEverything(connection, "direct_rows");

            List<List<Object>> heldRows = rows(connection, "held_rows");
            assertThat(heldRows).hasSize(ROWS).isEqualTo(rows(connection, "direct_rows"));
            assertThat(heldRows).extracting(row -> row.get(1)).contains("requested", "accepted", "revoked");
            connection.rollback();
        }
    }

    @Test
    void anUpdateGoesAsOneStatementJoiningItsRowsValues() throws SQLException {
        try (Connection connection = transactionWith("form_rows")) {
            try (PreparedStatement move = connection.prepareStatement(MOVE.formatted("form_rows"))) {
                BatchedWrites.MultiRowUpdate update = BatchedWrites.multiRowForm(MOVE.formatted("form_rows"),
                        move.getParameterMetaData()).orElseThrow();
                assertThat(update.sql(2).replaceAll("\\s+", " ")).isEqualTo("UPDATE form_rows SET status = _w._p1,"
                        + " modified_at = _w._p2, modified_by = _w._p3, version = _w._p4, approved_at = CASE WHEN"
                        + " _w._p5 THEN COALESCE(approved_at, _w._p6) ELSE approved_at END, refresh_token = CASE WHEN"
                        + " _w._p7 THEN NULL ELSE refresh_token END FROM (VALUES (?::text, ?::timestamptz, ?::text,"
                        + " ?::int8, ?::bool, ?::timestamptz, ?::bool, ?::text, ?::int8), (?::text, ?::timestamptz,"
                        + " ?::text, ?::int8, ?::bool, ?::timestamptz, ?::bool, ?::text, ?::int8)) AS _w (_p1, _p2,"
                        + " _p3, _p4, _p5, _p6, _p7, _p8, _p9) WHERE id = _w._p8 AND version < _w._p9");
                assertThat(update.maxRows()).isEqualTo(BatchedWrites.MAX_UPDATE_ROWS);
            }
            assertThat(BatchedWrites.multiRowForm("UPDATE form_rows SET status = (SELECT max(status) FROM form_rows)"
                    + " WHERE id = ?", null)).isEmpty();
            connection.rollback();
        }
    }

    /** A connection in a transaction (rolled back by each test) holding empty temporary tables of the given names. */
    private static Connection transactionWith(String... tables) throws SQLException {
        Connection connection = ReadModelDatabase.dataSource().getConnection();
        connection.setAutoCommit(false);
        try (Statement ddl = connection.createStatement()) {
            for (String table : tables) {
                ddl.execute(TABLE.formatted(table));
            }
        }
        return connection;
    }

    /** Inserts, a first move of every row (some refused by the version), and a second move of some. */
    private static void writeEverything(Connection connection, String table) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT.formatted(table))) {
            for (int i = 0; i < ROWS; i++) {
                insert.setString(1, "id-" + i);
                insert.setString(2, "requested");
                if (i % 2 == 0) {
                    insert.setObject(3, AT);
                } else { // a setter the held statement makes again by reflection
                    insert.setTimestamp(3, Timestamp.from(AT.toInstant()));
                }
                insert.setString(4, "owner");
                insert.setLong(5, i % 10 == 0 ? 5 : 1);
                insert.setNull(6, Types.TIMESTAMP_WITH_TIMEZONE);
                insert.setString(7, "token-" + i);
                insert.executeUpdate();
            }
        }
        try (PreparedStatement move = connection.prepareStatement(MOVE.formatted(table))) {
            for (int i = 0; i < ROWS; i++) {
                move(move, "id-" + i, "accepted", AT.plusSeconds(i), i % 7 == 0 ? null : "admin", 2, i % 2 == 0,
                        false);
            }
            for (int i = 0; i < ROWS; i += 3) {
                move(move, "id-" + i, "revoked", AT.plusDays(1), "admin", 3, i % 4 == 0, true);
            }
        }
    }

    private static void move(PreparedStatement move, String id, String status, OffsetDateTime at, String by,
                             long version, boolean approved, boolean ended) throws SQLException {
        move.setString(1, status);
        move.setObject(2, at);
        if (by == null) {
            move.setNull(3, Types.VARCHAR);
        } else {
            move.setString(3, by);
        }
        move.setLong(4, version);
        move.setBoolean(5, approved);
        move.setObject(6, at);
        move.setBoolean(7, ended);
        move.setString(8, id);
        move.setLong(9, version);
        move.executeUpdate();
    }

    private static List<List<Object>> rows(Connection connection, String table) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement query = connection.createStatement();
             ResultSet result = query.executeQuery("SELECT id, status, modified_at, modified_by, version,"
                     + " approved_at, refresh_token FROM " + table + " ORDER BY id")) {
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int column = 1; column <= 7; column++) {
                    row.add(result.getObject(column));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
