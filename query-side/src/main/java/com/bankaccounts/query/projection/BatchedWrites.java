package com.bankaccounts.query.projection;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rebuild transaction's connection that holds back the projection's single-row writes and sends them as JDBC
 * batches, when the transaction commits or before anything else runs on it: a replay's batch of events then costs a
 * few round trips instead of one per statement.
 *
 * <p>Only {@code INSERT INTO t (columns) VALUES (...)}, {@code UPDATE t ... WHERE} and {@code DELETE FROM t WHERE}
 * statements on the projection's own tables are held back, and only when their primary key is given as parameters
 * (so the row each one writes is known); anything else first sends what is held, then runs at once. The held
 * statements of one row run in their order; statements of different rows commute (read models have no triggers and
 * no foreign keys), so they are sent grouped: every row's first statement, batched by SQL, then every row's second,
 * and so on. A table with a unique key besides its primary key keeps its statements in order. A held statement
 * answers one row changed: projections must not depend on update counts during a rebuild (ReplayableProjection).
 *
 * <p>The driver sends a batch of inserts as multi-row INSERTs ({@code reWriteBatchedInserts}), but a batch of
 * updates as one execution per row. A group of rows' same UPDATE is therefore sent as one statement joining the
 * rows' parameters as a {@code VALUES} list ({@link MultiRowUpdate}): one execution per up to 64 rows. The rows of
 * a group are distinct (a group is every row's r-th statement), so each row is updated once, as its own UPDATE
 * would have.
 */
final class BatchedWrites implements InvocationHandler {

    private static final Pattern INSERT = Pattern.compile(
            "\\s*INSERT\\s+INTO\\s+(\\w+)\\s*\\(([^)]*)\\)\\s*VALUES\\s*\\((.*?)\\)\\s*(ON\\s+CONFLICT\\b.*)?",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern UPDATE_OR_DELETE = Pattern.compile(
            "\\s*(?:UPDATE\\s+(\\w+)\\s+SET\\s|DELETE\\s+FROM\\s+(\\w+)\\s+WHERE\\s).*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /** How to find a table's rows: its primary key's columns; empty when its statements must keep their order. */
    record TableKey(List<String> primaryKey, boolean otherUniqueKeys) {
    }

    /** Where a statement's row key is among its parameters (1-based), and whether it inserts; null when not held. */
    private record Shape(String table, int[] keyParameters, boolean insert) {
    }

    private record Held(String sql, List<Parameter> parameters, List<Object> row) {
    }

    /** One {@code setXxx} call on a held statement: made again, at the flush, on the statement that is sent. */
    private record Parameter(int index, Object value, Binder binder) {
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement, int index) throws SQLException;
    }

    /** How many rows one multi-row UPDATE takes at most, a power of two (fewer distinct statements to prepare). */
    static final int MAX_UPDATE_ROWS = 64;

    /**
     * {@code UPDATE t SET a = ?, b = f(b, ?) WHERE id = ?} as {@code UPDATE t SET a = _w._p1, b = f(b, _w._p2) FROM
     * (VALUES (?::text, ?::int8, ?::text), ...) AS _w (_p1, _p2, _p3) WHERE id = _w._p3}: each parameter cast to the
     * type PostgreSQL gives it in the single-row statement, so every row's values mean what they meant there.
     */
    record MultiRowUpdate(String head, String row, String tail, int parameters) {

        String sql(int rows) {
            StringBuilder sql = new StringBuilder(head);
            for (int i = 0; i < rows; i++) {
                sql.append(i == 0 ? "" : ", ").append(row);
            }
            return sql.append(tail).toString();
        }

        int maxRows() {
            return Integer.highestOneBit(Math.min(MAX_UPDATE_ROWS, Short.MAX_VALUE / parameters));
        }
    }

    private static final Pattern SINGLE_UPDATE = Pattern.compile(
            "\\s*UPDATE\\s+(\\w+)\\s+SET\\s+(.*)\\sWHERE\\s+(.*)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern SUBQUERY_OR_JOIN = Pattern.compile("(?i)\\b(SELECT|FROM|WHERE|RETURNING)\\b");
    /** Per SQL: its multi-row form, or empty when it has none. The schema's types do not change while running. */
    private static final Map<String, Optional<MultiRowUpdate>> MULTI_ROW_UPDATES = new ConcurrentHashMap<>();

    private final Connection connection;
    private final Function<String, TableKey> keys;
    private final Set<String> tables;
    private final Map<String, Shape> shapes = new HashMap<>();
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    private final List<Held> held = new ArrayList<>();

    private BatchedWrites(Connection connection, Set<String> tables, Function<String, TableKey> keys) {
        this.connection = connection;
        this.tables = tables;
        this.keys = keys;
    }

    /** The connection to hand the projection, and the writes it holds (to flush before commit). */
    static BatchedWrites over(Connection connection, Set<String> tables, Function<String, TableKey> keys) {
        return new BatchedWrites(connection, tables, keys);
    }

    Connection connection() {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, this);
    }

    /** Sends every held statement. */
    void flush() throws SQLException {
        if (held.isEmpty()) {
            return;
        }
        List<Held> pending = new ArrayList<>(held);
        held.clear();
        // Round r holds each row's r-th statement; within a round, statements are grouped by SQL, in first-seen order.
        Map<List<Object>, Integer> statementsOfRow = new HashMap<>();
        List<Map<String, List<Held>>> rounds = new ArrayList<>();
        for (Held statement : pending) {
            int round = statementsOfRow.merge(statement.row(), 1, Integer::sum) - 1;
            while (rounds.size() <= round) {
                rounds.add(new LinkedHashMap<>());
            }
            rounds.get(round).computeIfAbsent(statement.sql(), sql -> new ArrayList<>()).add(statement);
        }
        boolean cachedPlans = false;
        for (Map<String, List<Held>> round : rounds) {
            for (Map.Entry<String, List<Held>> group : round.entrySet()) {
                boolean insert = shape(group.getKey()).insert();
                if (insert != cachedPlans) {
                    planCacheMode(insert ? "auto" : ShadowTables.PLAN_CACHE_MODE);
                    cachedPlans = insert;
                }
                Optional<MultiRowUpdate> update = group.getValue().size() > 1
                        ? multiRowUpdate(group.getKey()) : Optional.empty();
                if (update.isPresent()) {
                    sendAsMultiRowUpdates(update.get(), group.getValue());
                    continue;
                }
                PreparedStatement statement = statement(group.getKey());
                for (Held one : group.getValue()) {
                    for (Parameter parameter : one.parameters()) {
                        parameter.binder().bind(statement, parameter.index());
                    }
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
        if (cachedPlans) {
            planCacheMode(ShadowTables.PLAN_CACHE_MODE);
        }
    }

    /**
     * An INSERT's plan does not depend on what the table holds, so inserts may run the connection's cached generic
     * plans, where the rebuild's transaction otherwise plans every statement for the table it meets
     * ({@link ShadowTables#PLAN_CACHE_MODE}): planning the multi-row inserts took a fifth of PostgreSQL's CPU in a
     * replay.
     */
    private void planCacheMode(String mode) throws SQLException {
        try (Statement set = connection.createStatement()) {
            set.execute("SET LOCAL plan_cache_mode = " + mode);
        }
    }

    /** The rows' updates in statements of up to {@link MultiRowUpdate#maxRows()} rows, a batch per statement size. */
    private void sendAsMultiRowUpdates(MultiRowUpdate update, List<Held> rows) throws SQLException {
        Map<Integer, PreparedStatement> bySize = new LinkedHashMap<>();
        int at = 0;
        while (at < rows.size()) {
            int size = Integer.highestOneBit(Math.min(rows.size() - at, update.maxRows()));
            PreparedStatement statement = bySize.get(size);
            if (statement == null) {
                statement = statement(size == 1 ? rows.get(at).sql() : update.sql(size));
                bySize.put(size, statement);
            }
            for (int row = 0; row < size; row++) {
                int offset = row * update.parameters();
                for (Parameter parameter : rows.get(at + row).parameters()) {
                    parameter.binder().bind(statement, parameter.index() + offset);
                }
            }
            statement.addBatch();
            at += size;
        }
        for (PreparedStatement statement : bySize.values()) {
            statement.executeBatch();
        }
    }

    private Optional<MultiRowUpdate> multiRowUpdate(String sql) throws SQLException {
        Optional<MultiRowUpdate> known = MULTI_ROW_UPDATES.get(sql);
        if (known == null) {
            known = multiRowForm(sql, statement(sql).getParameterMetaData());
            MULTI_ROW_UPDATES.put(sql, known);
        }
        return known;
    }

    /** The multi-row form of a single-row UPDATE whose SET and WHERE hold no subquery; empty for anything else. */
    static Optional<MultiRowUpdate> multiRowForm(String sql, ParameterMetaData types) throws SQLException {
        Matcher update = SINGLE_UPDATE.matcher(sql);
        if (!update.matches() || sql.contains("??") || SUBQUERY_OR_JOIN.matcher(update.group(2)).find()
                || SUBQUERY_OR_JOIN.matcher(update.group(3)).find()) {
            return Optional.empty();
        }
        int parameters = types.getParameterCount();
        StringBuilder row = new StringBuilder("(");
        StringBuilder names = new StringBuilder();
        for (int p = 1; p <= parameters; p++) {
            String type = types.getParameterTypeName(p);
            if (type == null || !type.matches("\\w+")) {
                return Optional.empty();
            }
            row.append(p == 1 ? "" : ", ").append("?::").append(type);
            names.append(p == 1 ? "" : ", ").append("_p").append(p);
        }
        row.append(')');
        int[] next = {1};
        Function<String, String> named = part -> Pattern.compile("\\?").matcher(part)
                .replaceAll(match -> "_w._p" + next[0]++);
        String set = named.apply(update.group(2));
        String where = named.apply(update.group(3));
        if (next[0] - 1 != parameters) {
            return Optional.empty();
        }
        return Optional.of(new MultiRowUpdate("UPDATE " + update.group(1) + " SET " + set + " FROM (VALUES ", 
                row.toString(), ") AS _w (" + names + ") WHERE " + where, parameters));
    }

    /** Forgets what is held (the transaction rolled back) and closes the statements this connection prepared. */
    void close() {
        held.clear();
        for (PreparedStatement statement : prepared.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // The connection goes back to the pool, which closes what remains.
            }
        }
        prepared.clear();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.equals("unwrap") || name.equals("isWrapperFor")) {
            return invoke(method, connection, args);
        }
        if (name.equals("equals")) {
            return proxy == args[0];
        }
        if (name.equals("hashCode")) {
            return System.identityHashCode(proxy);
        }
        if (name.equals("prepareStatement") && args.length == 1) {
            Shape shape = shape((String) args[0]);
            if (shape != null) {
                return heldStatement((String) args[0], shape);
            }
        }
        // Anything else (a read, a write this class cannot place, a commit) sees every held write first.
        if (!name.equals("close") && !name.equals("isClosed") && !name.startsWith("get")) {
            flush();
        }
        Object result = invoke(method, connection, args);
        if (result instanceof Statement statement && !(result instanceof PreparedStatement)) {
            return flushingFirst(statement, Statement.class);
        }
        if (result instanceof PreparedStatement statement) {
            return flushingFirst(statement, PreparedStatement.class);
        }
        return result;
    }

    /** A statement of the projection's tables: its parameters are recorded, its execution held until a flush. */
    private PreparedStatement heldStatement(String sql, Shape shape) {
        List<Parameter> setters = new ArrayList<>();
        return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer) {
                        setters.add(new Parameter((Integer) args[0], args[1], binder(method, args)));
                        return null;
                    }
                    switch (name) {
                        case "executeUpdate", "executeLargeUpdate", "execute" -> {
                            held.add(new Held(sql, List.copyOf(setters), row(shape, setters)));
                            setters.clear();
                            return name.equals("execute") ? Boolean.FALSE
                                    : name.equals("executeLargeUpdate") ? (Object) 1L : (Object) 1;
                        }
                        case "clearParameters" -> {
                            setters.clear();
                            return null;
                        }
                        case "close", "clearWarnings" -> {
                            return null;
                        }
                        case "isClosed", "isPoolable", "isCloseOnCompletion" -> {
                            return Boolean.FALSE;
                        }
                        case "getWarnings" -> {
                            return null;
                        }
                        case "getUpdateCount" -> {
                            return 1;
                        }
                        case "getConnection" -> {
                            return connection;
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "getParameterMetaData" -> {
                            return statement(sql).getParameterMetaData();
                        }
                        default -> throw new SQLException("not supported on a held rebuild statement: " + name);
                    }
                });
    }

    private <T extends Statement> T flushingFirst(T statement, Class<T> type) {
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("execute")) {
                        flush();
                    }
                    return invoke(method, statement, args);
                }));
    }

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    /** The row a held statement writes: its table and the values of its key parameters. */
    private static List<Object> row(Shape shape, List<Parameter> setters) {
        List<Object> row = new ArrayList<>();
        row.add(shape.table());
        if (shape.keyParameters().length == 0) {
            return row; // the whole table: its statements keep their order
        }
        for (int parameter : shape.keyParameters()) {
            Object value = null;
            for (Parameter setter : setters) {
                if (setter.index() == parameter) {
                    value = setter.value();
                }
            }
            row.add(value);
        }
        return row;
    }

    private Shape shape(String sql) {
        return shapes.computeIfAbsent(sql, this::parse);
    }

    /** Null when the statement is not a single-row write, found by its primary key, on one of the tables. */
    private Shape parse(String sql) {
        if (sql.indexOf('\'') >= 0 || sql.indexOf(';') >= 0 || sql.toUpperCase(Locale.ROOT).contains("RETURNING")) {
            return null;
        }
        Matcher insert = INSERT.matcher(sql);
        if (insert.matches()) {
            return insertShape(sql, insert.group(1), split(insert.group(2)), split(insert.group(3)));
        }
        Matcher change = UPDATE_OR_DELETE.matcher(sql);
        if (change.matches()) {
            String table = change.group(1) != null ? change.group(1) : change.group(2);
            return changeShape(sql, table);
        }
        return null;
    }

    private Shape insertShape(String sql, String table, List<String> columns, List<String> values) {
        String name = table.toLowerCase(Locale.ROOT);
        if (!tables.contains(name) || columns.size() != values.size()) {
            return null;
        }
        TableKey key = keys.apply(name);
        if (key.primaryKey().isEmpty()) {
            return null;
        }
        if (key.otherUniqueKeys()) {
            return new Shape(name, new int[0], true);
        }
        int[] parameters = new int[key.primaryKey().size()];
        for (int k = 0; k < parameters.length; k++) {
            int column = columns.indexOf(key.primaryKey().get(k));
            if (column < 0 || !values.get(column).equals("?")) {
                return null;
            }
            int before = 0;
            for (int v = 0; v < column; v++) {
                before += count(values.get(v));
            }
            parameters[k] = before + 1;
        }
        return new Shape(name, parameters, true);
    }

    /** UPDATE or DELETE whose WHERE names every primary key column as {@code column = ?}. */
    private Shape changeShape(String sql, String table) {
        String name = table.toLowerCase(Locale.ROOT);
        if (!tables.contains(name)) {
            return null;
        }
        TableKey key = keys.apply(name);
        if (key.primaryKey().isEmpty()) {
            return null;
        }
        if (key.otherUniqueKeys()) {
            return new Shape(name, new int[0], false);
        }
        int where = sql.toUpperCase(Locale.ROOT).lastIndexOf("WHERE");
        int[] parameters = new int[key.primaryKey().size()];
        for (int k = 0; k < parameters.length; k++) {
            Matcher equals = Pattern.compile("(?i)(?:WHERE|AND)\\s+" + Pattern.quote(key.primaryKey().get(k))
                    + "\\s*=\\s*\\?").matcher(sql);
            if (!equals.find(where) || sql.substring(where).toUpperCase(Locale.ROOT).contains(" OR ")) {
                return null;
            }
            parameters[k] = count(sql.substring(0, equals.end()));
        }
        return new Shape(name, parameters, false);
    }

    private static int count(String text) {
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '?') {
                count++;
            }
        }
        return count;
    }

    /** A comma-separated list, split at its top level only (commas inside parentheses stay). */
    private static List<String> split(String list) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(list.substring(start, i).trim().toLowerCase(Locale.ROOT));
                start = i + 1;
            }
        }
        parts.add(list.substring(start).trim().toLowerCase(Locale.ROOT));
        return parts;
    }

    /**
     * The call again, on another statement and parameter: the setters the projections' JdbcClient calls directly, any
     * other by reflection (6% of a replay's JVM samples went to reflection when every one was).
     */
    private static Binder binder(Method method, Object[] args) {
        Object value = args[1];
        Class<?>[] types = method.getParameterTypes();
        switch (method.getName()) {
            case "setString" -> {
                return (statement, index) -> statement.setString(index, (String) value);
            }
            case "setLong" -> {
                return (statement, index) -> statement.setLong(index, (Long) value);
            }
            case "setInt" -> {
                return (statement, index) -> statement.setInt(index, (Integer) value);
            }
            case "setBoolean" -> {
                return (statement, index) -> statement.setBoolean(index, (Boolean) value);
            }
            case "setNull" -> {
                if (types.length == 2) {
                    return (statement, index) -> statement.setNull(index, (Integer) value);
                }
            }
            case "setObject" -> {
                if (types.length == 2) {
                    return (statement, index) -> statement.setObject(index, value);
                }
                if (types.length == 3 && types[2] == int.class) {
                    int sqlType = (Integer) args[2];
                    return (statement, index) -> statement.setObject(index, value, sqlType);
                }
            }
            default -> {
            }
        }
        return (statement, index) -> {
            Object[] again = args.clone();
            again[0] = index;
            set(statement, method, again);
        };
    }

    private static void set(PreparedStatement statement, Method setter, Object[] args) throws SQLException {
        try {
            setter.invoke(statement, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new SQLException(e);
        }
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public String toString() {
        return "BatchedWrites" + Arrays.asList(tables.toArray());
    }
}
