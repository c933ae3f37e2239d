package io.tarn.kv.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.tarn.kv.KeyRange;
import io.tarn.kv.KvBatch;
import io.tarn.kv.KvEntry;
import io.tarn.kv.KvException;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvOutcomeUnknownException;
import io.tarn.kv.KvStore;
import io.tarn.util.LookAheadIterator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.postgresql.PGStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KvStore} in one PostgreSQL table ({@code database.type: postgres}), shared by every Tarn
 * server that points at the same database. {@code docs/postgres.md} explains the layout.
 *
 * <p>Every single-key operation is one statement in its own (auto-committed) transaction; a
 * compare-and-set is an {@code INSERT .. ON CONFLICT DO NOTHING}, an {@code UPDATE .. WHERE value = ?}
 * or a {@code DELETE .. WHERE value = ?}, and the affected-row count is the answer, so its atomicity
 * is PostgreSQL's row locking, across servers. A batch is one transaction.
 *
 * <p>Scans read pages in key order by keyset ({@code key > last ORDER BY key LIMIT n}). The first
 * page is one statement: when it is not full it is the whole scan and no connection is held. A
 * longer scan reads again from its start inside a {@code REPEATABLE READ READ ONLY} transaction and
 * holds that connection until it ends or is closed, so that it reads one snapshot, as the contract
 * asks. At most one page is in memory.
 *
 * <p>Point reads ({@code get}, {@code getAll}) of concurrent callers share statements: while
 * {@link #READ_STATEMENTS} are in flight (one per core, at least two), later reads wait and go together in the next one
 * ({@link ReadBatcher}), never in one sent before they began.
 *
 * <p>When the connection breaks while a write is in flight the outcome is unknown and the store
 * throws {@link KvOutcomeUnknownException}; a read that loses its connection is tried again on
 * another connection.
 */
public final class PostgresKvStore implements KvStore {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresKvStore.class);

    /** The table (created by the Flyway migrations under {@value #MIGRATIONS}). */
    static final String TABLE = "tarn_kv";
    /** Where the schema migrations live on the class path. */
    static final String MIGRATIONS = "classpath:db/tarn/postgres";
    /** Flyway's history table. */
    static final String HISTORY_TABLE = "tarn_schema_history";

    /** Rows of a scan's first page (read without a transaction). */
    public static final int DEFAULT_FIRST_PAGE = 128;
    /** Rows of the second page of a scan (the first read in its snapshot). */
    public static final int DEFAULT_PAGE = 512;
    /**
     * Later pages of a long scan double up to this many times {@link #DEFAULT_PAGE} (4,096 rows), so a
     * scan of n rows costs about n / 4,096 round trips instead of n / 512.
     */
    static final int PAGE_GROWTH = 8;
    /**
     * Point-read statements in flight at a time; reads that arrive meanwhile wait and go together in
     * the next statement ({@link ReadBatcher}). Two keep the database busy while the answer of the
     * other is handed out and the next batch gathers; measured against 1, 4 and 25 (about one per
     * pooled connection) in docs/postgres.md (Where the time goes), on a server with one or two cores.
     * A server with more cores has more requests to serve at once, and a database far away makes each
     * statement wait longer: one in flight per core, never fewer than two.
     */
    static final int READ_STATEMENTS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Reads that lose their connection are tried this many times in all. */
    private static final int READ_ATTEMPTS = 3;
    /** Batches that lose a deadlock or serialization race are tried this many times in all. */
    private static final int BATCH_ATTEMPTS = 5;

    private static final String GET = "SELECT value FROM " + TABLE + " WHERE key = ?";
    /**
     * Reads of several keys with a fixed number of parameters: {@code key IN (?, .., ?)} with one of
     * these arities (a shorter list repeats its last key; the index scan skips repeated keys), so that
     * after PostgreSQL's first five executions on a connection each arity runs a cached generic plan.
     * {@code key = ANY (?)} over an array parameter would be planned again on every execution: its
     * generic plan assumes ten elements, costs more than the custom plans, and is never chosen.
     */
    private static final int[] GET_ALL_ARITIES = {2, 3, 4, 6, 8, 16, 32, 64};
    private static final String[] GET_ALL_IN = new String[GET_ALL_ARITIES.length];
    /** Longer lists: one statement over an array parameter, planned on every execution. */
    private static final String GET_ALL_ANY = "SELECT key, value FROM " + TABLE + " WHERE key = ANY (?)";

    static {
        for (int i = 0; i < GET_ALL_ARITIES.length; i++) {
            GET_ALL_IN[i] = "SELECT key, value FROM " + TABLE + " WHERE key IN ("
                    + String.join(", ", Collections.nCopies(GET_ALL_ARITIES[i], "?")) + ")";
        }
    }
    private static final String PUT = "INSERT INTO " + TABLE + " (key, value) VALUES (?, ?)"
            + " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value";
    private static final String INSERT_IF_ABSENT = "INSERT INTO " + TABLE + " (key, value) VALUES (?, ?)"
            + " ON CONFLICT (key) DO NOTHING";
    private static final String UPDATE_IF_EQUAL = "UPDATE " + TABLE + " SET value = ? WHERE key = ? AND value = ?";
    private static final String DELETE_IF_EQUAL = "DELETE FROM " + TABLE + " WHERE key = ? AND value = ?";
    private static final String ABSENT = "SELECT NOT EXISTS (SELECT 1 FROM " + TABLE + " WHERE key = ?)";
    private static final String DELETE = "DELETE FROM " + TABLE + " WHERE key = ?";
    private static final String DELETE_FROM = "DELETE FROM " + TABLE + " WHERE key >= ?";
    private static final String DELETE_RANGE = "DELETE FROM " + TABLE + " WHERE key >= ? AND key < ?";
    private static final String BEGIN_SNAPSHOT = "START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

    private final HikariDataSource pool;
    private final String where;
    private final int firstPage;
    private final int page;
    private final Set<Scan> openScans = ConcurrentHashMap.newKeySet();
    private final ReadBatcher reads;
    private volatile boolean closed;

    private PostgresKvStore(HikariDataSource pool, String where, int firstPage, int page) {
        this.pool = pool;
        this.where = where;
        this.firstPage = firstPage;
        this.page = page;
        this.reads = new ReadBatcher(this::fetch, READ_STATEMENTS);
    }

    /**
     * Connects, creates or migrates the schema (Flyway; several servers starting together wait for
     * each other on Flyway's lock), and opens the store.
     *
     * @throws IllegalArgumentException if the connection string is malformed
     * @throws KvException              if the database cannot be reached or migrated
     */
    public static PostgresKvStore open(PostgresConfig config) {
        return open(config, DEFAULT_FIRST_PAGE, DEFAULT_PAGE);
    }

    /** {@link #open(PostgresConfig)} with other scan page sizes (tests use tiny pages). */
    public static PostgresKvStore open(PostgresConfig config, int firstPage, int page) {
        Objects.requireNonNull(config, "config");
        if (firstPage < 1 || page < 1) {
            throw new IllegalArgumentException("page sizes must be positive");
        }
        PostgresConfig.Jdbc jdbc = config.jdbc();
        String where = jdbc.safeUrl();
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari(config, jdbc));
        } catch (RuntimeException e) {
            throw new KvException("cannot connect to the PostgreSQL metadata database at " + where + ": "
                    + rootMessage(e), e);
        }
        try {
            migrate(pool);
        } catch (FlywayException e) {
            pool.close();
            throw new KvException("cannot create or migrate the metadata schema in " + where + ": "
                    + rootMessage(e), e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        LOG.info("metadata store: PostgreSQL at {} (pool of {} connections)", where, config.maxOpenConnections());
        return new PostgresKvStore(pool, where, firstPage, page);
    }

    private static HikariConfig hikari(PostgresConfig config, PostgresConfig.Jdbc jdbc) {
        HikariConfig h = new HikariConfig();
        h.setPoolName("tarn-postgres");
        h.setJdbcUrl(jdbc.url());
        if (jdbc.user() != null) {
            h.setUsername(jdbc.user());
        }
        if (jdbc.password() != null) {
            h.setPassword(jdbc.password());
        }
        h.setMaximumPoolSize(config.maxOpenConnections());
        h.setMinimumIdle(Math.min(config.maxIdleConnections(), config.maxOpenConnections()));
        long lifetime = config.maxLifetime().toMillis();
        // HikariCP's shortest lifetime is 30 s; 0 means "no limit" in both lakeFS and HikariCP.
        h.setMaxLifetime(lifetime == 0 ? 0 : Math.max(lifetime, TimeUnit.SECONDS.toMillis(30)));
        h.setConnectionTimeout(TimeUnit.SECONDS.toMillis(30));
        h.setInitializationFailTimeout(TimeUnit.SECONDS.toMillis(5));
        h.setAutoCommit(true);
        // A batch's puts go as multi-row INSERTs; TCP keep-alive notices dead peers on idle links.
        h.addDataSourceProperty("reWriteBatchedInserts", "true");
        h.addDataSourceProperty("tcpKeepAlive", "true");
        h.addDataSourceProperty("ApplicationName", "tarn");
        return h;
    }

    private static void migrate(HikariDataSource pool) {
        Flyway.configure(PostgresKvStore.class.getClassLoader())
                .dataSource(pool)
                .locations(MIGRATIONS)
                .table(HISTORY_TABLE)
                .baselineOnMigrate(false)
                .load()
                .migrate();
    }

    // ---- single keys ----

    @Override
    public Optional<byte[]> get(byte[] key) {
        Objects.requireNonNull(key, "key");
        return reads.read(List.of(key)).get(0);
    }

    /**
     * One statement, so one snapshot and one round trip, shared with the reads of other callers that
     * arrived while the store's read statements were in flight ({@link ReadBatcher}).
     */
    @Override
    public List<Optional<byte[]>> getAll(List<byte[]> keys) {
        keys.forEach(k -> Objects.requireNonNull(k, "key"));
        if (keys.isEmpty()) {
            return List.of();
        }
        return reads.read(keys);
    }

    /**
     * The rows of distinct {@code keys} in one statement: a point read for one key,
     * {@code key IN (..)} with a fixed number of parameters for up to 64 keys, {@code key = ANY (?)}
     * over a {@code bytea[]} beyond.
     */
    private Map<ByteBuffer, byte[]> fetch(List<byte[]> keys) {
        if (keys.size() == 1) {
            byte[] key = keys.get(0);
            return read("read", c -> {
                try (PreparedStatement s = c.prepareStatement(GET)) {
                    s.setBytes(1, key);
                    try (ResultSet rs = s.executeQuery()) {
                        return rs.next() ? Map.of(ByteBuffer.wrap(key), rs.getBytes(1)) : Map.<ByteBuffer, byte[]>of();
                    }
                }
            });
        }
        int arity = -1;
        for (int i = 0; i < GET_ALL_ARITIES.length && arity < 0; i++) {
            if (GET_ALL_ARITIES[i] >= keys.size()) {
                arity = i;
            }
        }
        int slot = arity;
        return read("read", c -> {
            try (PreparedStatement s = c.prepareStatement(slot < 0 ? GET_ALL_ANY : GET_ALL_IN[slot])) {
                if (slot < 0) {
                    s.setArray(1, c.createArrayOf("bytea", keys.toArray(new byte[0][])));
                } else {
                    for (int i = 0; i < GET_ALL_ARITIES[slot]; i++) {
                        s.setBytes(i + 1, keys.get(Math.min(i, keys.size() - 1)));
                    }
                }
                Map<ByteBuffer, byte[]> rows = HashMap.newHashMap(keys.size());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.put(ByteBuffer.wrap(rs.getBytes(1)), rs.getBytes(2));
                    }
                }
                return rows;
            }
        });
    }

    @Override
    public void put(byte[] key, byte[] value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        write("write", c -> {
            try (PreparedStatement s = c.prepareStatement(PUT)) {
                s.setBytes(1, key);
                s.setBytes(2, value);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public boolean compareAndSet(byte[] key, byte[] expected, byte[] update) {
        Objects.requireNonNull(key, "key");
        if (expected == null && update == null) {
            return read("compare-and-set", c -> {
                try (PreparedStatement s = c.prepareStatement(ABSENT)) {
                    s.setBytes(1, key);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        return rs.getBoolean(1);
                    }
                }
            });
        }
        return write("compare-and-set", c -> {
            if (expected == null) {
                try (PreparedStatement s = c.prepareStatement(INSERT_IF_ABSENT)) {
                    s.setBytes(1, key);
                    s.setBytes(2, update);
                    return s.executeUpdate();
                }
            }
            if (update == null) {
                try (PreparedStatement s = c.prepareStatement(DELETE_IF_EQUAL)) {
                    s.setBytes(1, key);
                    s.setBytes(2, expected);
                    return s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement(UPDATE_IF_EQUAL)) {
                s.setBytes(1, update);
                s.setBytes(2, key);
                s.setBytes(3, expected);
                return s.executeUpdate();
            }
        }) == 1;
    }

    @Override
    public void delete(byte[] key) {
        Objects.requireNonNull(key, "key");
        write("delete", c -> {
            try (PreparedStatement s = c.prepareStatement(DELETE)) {
                s.setBytes(1, key);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public void deletePrefix(byte[] prefix) {
        KeyRange range = KeyRange.prefix(prefix);
        write("delete a prefix", c -> {
            try (PreparedStatement s = c.prepareStatement(range.upper() == null ? DELETE_FROM : DELETE_RANGE)) {
                s.setBytes(1, range.lower());
                if (range.upper() != null) {
                    s.setBytes(2, range.upper());
                }
                return s.executeUpdate();
            }
        });
    }

    // ---- batches ----

    @Override
    public void write(KvBatch batch) {
        Objects.requireNonNull(batch, "batch");
        // The last operation on a key decides its fate; keys go in ascending order so that two
        // batches lock shared rows in the same order.
        Map<ByteBuffer, byte[]> last = new LinkedHashMap<>();
        var ops = batch.ops();
        for (int i = 0; i < ops.size(); i++) {
            KvBatch.Op op = ops.get(i);
            byte[] key = Objects.requireNonNull(op.key(), "batch operation " + i + " has a null key");
            last.put(ByteBuffer.wrap(key.clone()), op.value() == null ? null : op.value().clone());
        }
        if (last.isEmpty()) {
            ensureOpen();
            return;
        }
        List<Map.Entry<ByteBuffer, byte[]>> sorted = new ArrayList<>(last.entrySet());
        sorted.sort((x, y) -> KeyRange.compare(x.getKey().array(), y.getKey().array()));
        for (int attempt = 1; ; attempt++) {
            try {
                writeOnce(sorted);
                return;
            } catch (RetryableBatch e) {
                if (attempt >= BATCH_ATTEMPTS) {
                    throw new KvException("metadata store at " + where + " failed to write a batch: "
                            + e.getCause().getMessage(), e.getCause());
                }
                LOG.debug("batch lost a race, trying again", e.getCause());
            }
        }
    }

    /** A batch that PostgreSQL rolled back because it lost a deadlock or serialization race. */
    private static final class RetryableBatch extends RuntimeException {
        RetryableBatch(SQLException cause) {
            super(cause);
        }
    }

    private void writeOnce(List<Map.Entry<ByteBuffer, byte[]>> sorted) {
        ensureOpen();
        Connection c = connect("write a batch");
        try (c) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement del = c.prepareStatement(DELETE);
                     PreparedStatement put = c.prepareStatement(PUT)) {
                    int deletes = 0;
                    int puts = 0;
                    for (Map.Entry<ByteBuffer, byte[]> e : sorted) {
                        if (e.getValue() == null) {
                            del.setBytes(1, e.getKey().array());
                            del.addBatch();
                            deletes++;
                        } else {
                            put.setBytes(1, e.getKey().array());
                            put.setBytes(2, e.getValue());
                            put.addBatch();
                            puts++;
                        }
                    }
                    if (deletes > 0) {
                        del.executeBatch();
                    }
                    if (puts > 0) {
                        put.executeBatch();
                    }
                }
            } catch (SQLException e) {
                // Not committed: whatever happened to the connection, PostgreSQL rolls the batch back.
                rollbackQuietly(c);
                if (isRetryable(e)) {
                    throw new RetryableBatch(e);
                }
                throw new KvException("metadata store at " + where + " failed to write a batch: " + message(e), e);
            }
            try {
                c.commit();
            } catch (SQLException e) {
                throw writeFailure("commit a batch", e);
            }
        } catch (SQLException e) {
            throw writeFailure("write a batch", e);
        }
    }

    // ---- scans ----

    @Override
    public KvIterator scan(byte[] prefix, byte[] from) {
        KeyRange range = KeyRange.scan(prefix, from);
        ensureOpen();
        if (range.isEmpty()) {
            return new Scan(range, new ArrayDeque<>(), null);
        }
        ArrayDeque<KvEntry> first = read("scan", c -> page(c, range, null, firstPage));
        if (first.size() < firstPage) {
            return new Scan(range, first, null);
        }
        // More than one page: read it again, and the rest later, in one snapshot.
        Connection c = connect("scan");
        try {
            try (PreparedStatement s = c.prepareStatement(BEGIN_SNAPSHOT)) {
                s.execute();
            }
            ArrayDeque<KvEntry> again = page(c, range, null, page);
            Scan scan = new Scan(range, again, again.size() < page ? null : c);
            if (again.size() < page) {
                endSnapshot(c);
            } else {
                openScans.add(scan);
                if (closed) {
                    scan.release();
                }
            }
            return scan;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            if (e instanceof SQLException sql) {
                throw new KvException("metadata store at " + where + " failed to scan: " + message(sql), sql);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Up to {@code limit} entries of {@code range} after {@code after} (from its start when null).
     *
     * <p>Always planned with its bounds (an unnamed statement, never a server-side prepared one): the
     * generic plan of {@code key > $1 AND key < $2 ORDER BY key LIMIT n}, which PostgreSQL picks after
     * five executions on a connection when it looks no dearer, assumes the range holds 0.5% of the
     * table, and for a page larger than that estimate it reads the whole rest of the range (a bitmap
     * scan) and sorts it to return the first page: every page of a long scan would read all the rows
     * after it. With its bounds the plan is an ordered index scan that stops after {@code limit} rows.
     */
    private static ArrayDeque<KvEntry> page(Connection c, KeyRange range, byte[] after, int limit) throws SQLException {
        String sql = "SELECT key, value FROM " + TABLE + " WHERE key " + (after == null ? ">=" : ">") + " ?"
                + (range.upper() == null ? "" : " AND key < ?") + " ORDER BY key LIMIT " + limit;
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.unwrap(PGStatement.class).setPrepareThreshold(0);
            s.setBytes(1, after == null ? range.lower() : after);
            if (range.upper() != null) {
                s.setBytes(2, range.upper());
            }
            s.setFetchSize(limit);
            ArrayDeque<KvEntry> out = new ArrayDeque<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new KvEntry(rs.getBytes(1), rs.getBytes(2)));
                }
            }
            return out;
        }
    }

    private static void endSnapshot(Connection c) {
        try (c; PreparedStatement s = c.prepareStatement("COMMIT")) {
            s.execute();
        } catch (SQLException e) {
            LOG.debug("ending a scan's snapshot failed", e);
        }
    }

    /**
     * A scan: the page in memory, and while more pages may follow, the connection whose snapshot
     * they are read in.
     */
    private final class Scan extends LookAheadIterator<KvEntry> implements KvIterator {
        private final KeyRange range;
        private final ArrayDeque<KvEntry> buffer;
        private Connection connection;
        private byte[] lastKey;
        /**
         * Rows the next page asks for: twice {@code page} after the page read when the snapshot began,
         * doubling up to {@value #PAGE_GROWTH} times {@code page}.
         */
        private int nextPage = (int) Math.min((long) page * 2, (long) page * PAGE_GROWTH);

        Scan(KeyRange range, ArrayDeque<KvEntry> buffer, Connection connection) {
            this.range = range;
            this.buffer = buffer;
            this.connection = connection;
        }

        @Override
        protected synchronized KvEntry computeNext() {
            ensureOpen();
            if (buffer.isEmpty() && connection != null) {
                int want = nextPage;
                nextPage = (int) Math.min((long) want * 2, (long) page * PAGE_GROWTH);
                try {
                    buffer.addAll(page(connection, range, lastKey, want));
                } catch (SQLException e) {
                    release();
                    throw new KvException("metadata store at " + where + " failed to scan: " + message(e), e);
                }
                if (buffer.size() < want) {
                    release();
                }
            }
            KvEntry next = buffer.poll();
            if (next == null) {
                release();
                return null;
            }
            lastKey = next.key();
            return next;
        }

        @Override
        public synchronized void close() {
            endIteration();
            buffer.clear();
            release();
        }

        /** Ends the snapshot and returns the connection, once. */
        synchronized void release() {
            openScans.remove(this);
            if (connection != null) {
                Connection c = connection;
                connection = null;
                endSnapshot(c);
            }
        }
    }

    // ---- lifecycle ----

    /**
     * Publishes the pool's meters in {@code registry} (HikariCP's {@code hikaricp.connections.*}:
     * active, idle, pending, timeouts, acquire and usage times, tagged {@code pool=tarn-postgres}).
     */
    public void monitor(MeterRegistry registry) {
        pool.setMetricRegistry(registry);
    }

    /** The batcher of point reads (tests count its statements). */
    ReadBatcher readBatcher() {
        return reads;
    }

    /** Ends every open scan and closes the pool; later calls fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Scan scan : openScans) {
            scan.release();
        }
        openScans.clear();
        pool.close();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the metadata store at " + where + " is closed");
        }
    }

    // ---- connections and failures ----

    /** Work on a connection. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private Connection connect(String what) {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            ensureOpen();
            throw new KvException("metadata store at " + where + " failed to " + what + ": no connection: "
                    + message(e), e);
        }
    }

    /**
     * A read: changes nothing, so one that lost its connection is tried again on another (the pool
     * drops the broken one; after a database restart several pooled connections may be broken).
     */
    private <T> T read(String what, SqlWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            try (Connection c = connect(what)) {
                return work.run(c);
            } catch (SQLException e) {
                if (attempt < READ_ATTEMPTS && connectionLost(e)) {
                    LOG.debug("a read lost its connection; trying again", e);
                    evictIdle();
                    continue;
                }
                ensureOpen();
                throw new KvException("metadata store at " + where + " failed to " + what + ": " + message(e), e);
            }
        }
    }

    /** A write of one auto-committed statement. */
    private <T> T write(String what, SqlWork<T> work) {
        ensureOpen();
        Connection c = connect(what);
        try (c) {
            return work.run(c);
        } catch (SQLException e) {
            throw writeFailure(what, e);
        }
    }

    /**
     * After one broken connection, the pool's idle ones are likely broken too (the database restarted,
     * or killed the sessions): HikariCP replaces them now instead of handing them out one by one.
     */
    private void evictIdle() {
        var bean = pool.getHikariPoolMXBean();
        if (bean != null) {
            bean.softEvictConnections();
        }
    }

    /** The outcome of a write whose statement was sent: unknown if the connection broke, else a failure. */
    private KvException writeFailure(String what, SQLException e) {
        if (connectionLost(e)) {
            evictIdle();
            return new KvOutcomeUnknownException("metadata store at " + where + " lost its connection while trying to "
                    + what + "; it may or may not have happened: " + message(e), e);
        }
        ensureOpen();
        return new KvException("metadata store at " + where + " failed to " + what + ": " + message(e), e);
    }

    /**
     * True if {@code e} says the session is gone: SQL state class 08 (connection exception), 57P01-03
     * (the server terminated the session or is shutting down), or an I/O error underneath.
     */
    static boolean connectionLost(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03"))) {
                    return true;
                }
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Deadlock (40P01) or serialization failure (40001): rolled back, safe to try again. */
    private static boolean isRetryable(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if ("40P01".equals(s.getSQLState()) || "40001".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken or the transaction already ended; either way nothing was committed
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // returned or evicted by the pool either way
        }
    }

    private static String message(SQLException e) {
        String m = e.getMessage();
        SQLException next = e.getNextException();
        if (next != null && next.getMessage() != null && (m == null || !m.contains(next.getMessage()))) {
            m = (m == null ? "" : m + ": ") + next.getMessage();
        }
        return m == null ? e.toString() : m;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.toString() : m;
    }
}
