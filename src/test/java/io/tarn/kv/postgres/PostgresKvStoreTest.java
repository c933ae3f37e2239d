package io.tarn.kv.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.kv.KvBatch;
import io.tarn.kv.KvEntry;
import io.tarn.kv.KvException;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import io.tarn.kv.SharedKvStoreContractTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The KV contract, and what several servers need, on a real PostgreSQL ({@link PostgresFixture}).
 * Scans use tiny pages here (3 rows, then 5) so that every scan of more than a few keys pages by
 * keyset inside its snapshot transaction; {@link #defaultPagesAlsoWork} covers the real sizes.
 */
class PostgresKvStoreTest extends SharedKvStoreContractTest {

    private String schema;

    @Override
    protected KvStore newStore() {
        PostgresFixture pg = PostgresFixture.shared();
        schema = pg.newSchema();
        return PostgresKvStore.open(pg.config(schema), 3, 5);
    }

    @Override
    protected KvStore newStoreOnSameData() {
        return PostgresKvStore.open(PostgresFixture.shared().config(schema), 3, 5);
    }

    @Override
    protected Blocker blocker() throws Exception {
        return new LockingBlocker(PostgresFixture.shared(), schema);
    }

    /** Holds a row lock from its own transaction and terminates the backends waiting for it. */
    private static final class LockingBlocker implements Blocker {
        private final Connection c;
        private final String schema;

        LockingBlocker(PostgresFixture pg, String schema) throws Exception {
            this.schema = schema;
            c = pg.admin();
            c.setAutoCommit(false);
        }

        @Override
        public void hold(byte[] key) throws Exception {
            // An existing row is locked FOR UPDATE; an absent one is inserted (uncommitted), so an
            // insert of the same key waits for this transaction too.
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM " + schema + ".tarn_kv WHERE key = ? FOR UPDATE")) {
                s.setBytes(1, key);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + schema + ".tarn_kv (key, value) VALUES (?, ?)")) {
                s.setBytes(1, key);
                s.setBytes(2, new byte[0]);
                s.executeUpdate();
            }
        }

        @Override
        public int killWaiters() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            try (Connection other = PostgresFixture.shared().admin()) {
                while (System.nanoTime() < deadline) {
                    try (PreparedStatement s = other.prepareStatement(
                            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                    + " WHERE pid <> ? AND wait_event_type = 'Lock' AND datname = current_database()")) {
                        s.setInt(1, pid());
                        try (ResultSet rs = s.executeQuery()) {
                            rs.next();
                            int n = rs.getInt(1);
                            if (n > 0) {
                                return n;
                            }
                        }
                    }
                    Thread.sleep(5);
                }
            }
            return 0;
        }

        @Override
        public void killOthers() throws Exception {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE pid <> pg_backend_pid() AND datname = current_database() AND backend_type = 'client backend'");
            }
            c.commit();
        }

        private int pid() throws Exception {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                return rs.getInt(1);
            }
        }

        @Override
        public void close() throws Exception {
            try (c) {
                c.rollback();
            }
        }
    }

    // ---- PostgreSQL specifics ----

    @Test
    void defaultPagesAlsoWork() {
        try (KvStore big = PostgresKvStore.open(PostgresFixture.shared().config(schema))) {
            KvBatch batch = new KvBatch();
            int n = PostgresKvStore.DEFAULT_FIRST_PAGE + 3 * PostgresKvStore.DEFAULT_PAGE + 1;
            for (int i = 0; i < n; i++) {
                batch.put(b(String.format("d/%06d", i)), b("v" + i));
            }
            big.write(batch);
            List<String> seen = new ArrayList<>();
            try (KvIterator it = big.scan(b("d/"), b("d/000100"))) {
                it.forEachRemaining(e -> seen.add(s(e.key())));
            }
            assertThat(seen).hasSize(n - 100);
            assertThat(seen.get(0)).isEqualTo("d/000100");
            assertThat(seen).isSorted();
            assertThat(keys(b("d/"), null)).hasSize(n);
        }
    }

    @Test
    void scansGiveBackTheirConnections() {
        // more scans than the pool has connections (12): each one longer than a page holds one
        // until it is closed or read to its end
        for (int i = 0; i < 40; i++) {
            store.put(b(String.format("c/%02d", i)), b("v"));
        }
        for (int round = 0; round < 15; round++) {
            KvIterator abandoned = store.scan(b("c/"), null);
            abandoned.next();
            abandoned.close();
            assertThat(drain(store.scan(b("c/"), b("c/05")))).hasSize(35);
            try (KvIterator partly = store.scan(b("c/"), null)) {
                for (int i = 0; i < 12; i++) {
                    partly.next();
                }
            }
        }
        assertThat(store.get(b("c/00"))).isPresent();
    }

    @Test
    void thePoolPublishesItsMeters() {
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        ((PostgresKvStore) store).monitor(registry);
        store.put(b("k"), b("v"));
        assertThat(registry.get("hikaricp.connections").tag("pool", "tarn-postgres").gauge().value())
                .isGreaterThanOrEqualTo(1);
        assertThat(registry.get("hikaricp.connections.max").gauge().value()).isEqualTo(12);
        assertThat(registry.get("hikaricp.connections.acquire").timer().count()).isPositive();
    }

    @Test
    void bytesCompareUnsignedInTheDatabaseToo() {
        // 0x80..0xFF must sort after 0x00..0x7F, and a prefix before its extensions
        store.put(bytes(0x7F, 0xFF), b("a"));
        store.put(bytes(0x80), b("b"));
        store.put(bytes(0x80, 0x00), b("c"));
        store.put(bytes(0xFF), b("d"));
        store.put(bytes(0x00), b("e"));
        assertThat(drain(store.scan(new byte[0], null))).extracting(KvEntry::value)
                .containsExactly(b("e"), b("a"), b("b"), b("c"), b("d"));
        assertThat(drain(store.scan(bytes(0x80), null))).hasSize(2);
    }

    @Test
    void theSchemaIsMigratedOnceAndReopeningKeepsTheData() throws Exception {
        store.put(b("a"), b("1"));
        store.close();
        store = PostgresKvStore.open(PostgresFixture.shared().config(schema));
        assertThat(store.get(b("a")).orElseThrow()).isEqualTo(b("1"));
        try (Connection c = PostgresFixture.shared().admin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".tarn_schema_history WHERE success")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void anUnreachableDatabaseIsAClearError() {
        PostgresConfig nowhere = new PostgresConfig("postgres://tarn:secret@127.0.0.1:1/tarn?sslmode=disable&connectTimeout=2",
                2, 0, Duration.ZERO);
        assertThatThrownBy(() -> PostgresKvStore.open(nowhere))
                .isInstanceOf(KvException.class)
                .hasMessageContaining("127.0.0.1:1/tarn")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }
}
