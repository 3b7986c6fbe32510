package com.bankaccounts.query.projection;

import com.bankaccounts.platform.axon.CustomPlanTransactionManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A projection's tables built aside, in a schema of their own ({@code rebuild_<projection>}), and swapped in for the
 * live ones. Projections name their tables unqualified, so a rebuild's transactions put that schema first on their
 * search path and the projection's own code writes the copies. PostgreSQL only. Foreign keys are not copied (read
 * models have none: a projection cannot rely on the order in which another one is rebuilt).
 */
final class ShadowTables {

    /** How a rebuild's transactions plan their statements (see useInThisTransaction). */
    static final String PLAN_CACHE_MODE = CustomPlanTransactionManager.PLAN_CACHE_MODE;

    private final JdbcClient jdbc;
    private final String schema;
    private final List<String> tables;

    ShadowTables(JdbcClient jdbc, String projection) {
        this.jdbc = jdbc;
        this.schema = "rebuild_" + projection.replace('-', '_');
        this.tables = ProjectionTables.of(projection);
    }

    /** Puts the copies first for the rest of the current transaction. */
    void useInThisTransaction() {
        jdbc.sql("SET LOCAL search_path TO " + schema + ", public").update();
        // The copies start empty, so a generic plan cached on this connection would keep scanning them whole as they
        // grow: plan each statement for the table it meets.
        CustomPlanTransactionManager.planEachStatement(jdbc);
    }

    /** Each table's primary key columns, and whether it has another unique key (BatchedWrites). */
    Map<String, BatchedWrites.TableKey> keys() {
        Map<String, BatchedWrites.TableKey> keys = new HashMap<>();
        for (String table : tables) {
            List<String> primaryKey = jdbc.sql("""
                            SELECT a.attname FROM pg_index i
                            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                            WHERE i.indrelid = ('public.' || :table)::regclass AND i.indisprimary
                            ORDER BY array_position(i.indkey::int2[], a.attnum)""")
                    .param("table", table).query(String.class).list();
            boolean otherUnique = jdbc.sql("""
                            SELECT EXISTS (SELECT 1 FROM pg_index i
                                           WHERE i.indrelid = ('public.' || :table)::regclass
                                             AND i.indisunique AND NOT i.indisprimary)""")
                    .param("table", table).query(Boolean.class).single();
            keys.put(table, new BatchedWrites.TableKey(primaryKey, otherUnique));
        }
        return keys;
    }

    /**
     * Empty copies of the live tables: columns, defaults and checks, then every constraint and index under its live
     * name (a name is unique per schema), so that the swapped-in tables carry the names the migrations know.
     */
    void create() {
        jdbc.sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE").update();
        jdbc.sql("CREATE SCHEMA " + schema).update();
        for (String table : tables) {
            jdbc.sql("CREATE TABLE " + schema + "." + table + " (LIKE public." + table
                    + " INCLUDING ALL EXCLUDING INDEXES)").update();
            List<String> constraints = jdbc.sql("""
                            SELECT 'ALTER TABLE %s ADD CONSTRAINT ' || quote_ident(conname) || ' '
                                   || pg_get_constraintdef(c.oid)
                            FROM pg_constraint c
                            WHERE c.conrelid = ('public.' || :table)::regclass AND c.contype IN ('p', 'u', 'x')
                            ORDER BY c.conname""".formatted(schema + "." + table))
                    .param("table", table).query(String.class).list();
            constraints.forEach(sql -> jdbc.sql(sql).update());
            List<String> indexes = jdbc.sql("""
                            SELECT pg_get_indexdef(i.indexrelid)
                            FROM pg_index i
                            WHERE i.indrelid = ('public.' || :table)::regclass
                              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                            ORDER BY i.indexrelid""")
                    .param("table", table).query(String.class).list();
            Pattern live = Pattern.compile(" ON (ONLY )?public\\." + Pattern.quote(table) + " USING ");
            for (String index : indexes) {
                jdbc.sql(live.matcher(index).replaceFirst(" ON " + schema + "." + table + " USING ")).update();
            }
        }
    }

    /** Waits for the rebuild's in-flight batch, and keeps the next one out until this transaction ends. */
    void lock() {
        jdbc.sql("LOCK TABLE " + qualified(schema) + " IN ACCESS EXCLUSIVE MODE").update();
    }

    /**
     * Waits for the live writers in flight, and keeps new ones (and readers) out until this transaction ends: a
     * writer blocked here finds the swapped-in table when it goes on, since PostgreSQL looks a name up again after
     * waiting for a table that has been dropped.
     */
    void lockLive() {
        jdbc.sql("LOCK TABLE " + qualified("public") + " IN ACCESS EXCLUSIVE MODE").update();
    }

    /**
     * Whether the copies still have the live tables' columns: a migration of the live tables while the rebuild ran
     * would otherwise be undone by the swap.
     */
    boolean sameColumnsAsLive() {
        for (String table : tables) {
            if (!columns(schema, table).equals(columns("public", table))) {
                return false;
            }
        }
        return true;
    }

    private List<String> columns(String tableSchema, String table) {
        return jdbc.sql("""
                        SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' '
                               || coalesce(column_default, '')
                        FROM information_schema.columns WHERE table_schema = ? AND table_name = ?
                        ORDER BY ordinal_position""")
                .params(tableSchema, table).query(String.class).list();
    }

    /** The copies replace the live tables (within the caller's transaction, after both locks). */
    void swap() {
        for (String table : tables) {
            jdbc.sql("DROP TABLE public." + table).update();
            jdbc.sql("ALTER TABLE " + schema + "." + table + " SET SCHEMA public").update();
        }
        drop();
    }

    void drop() {
        jdbc.sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE").update();
    }

    private String qualified(String prefix) {
        return String.join(", ", tables.stream().map(table -> prefix + "." + table).toList());
    }
}
