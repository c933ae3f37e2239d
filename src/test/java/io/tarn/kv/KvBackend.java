package io.tarn.kv;

import io.tarn.kv.memory.MemoryKvStore;
import io.tarn.kv.postgres.PostgresFixture;
import io.tarn.kv.postgres.PostgresKvStore;
import io.tarn.kv.rocksdb.RocksDbKvStore;
import java.nio.file.Path;

/**
 * The KV backends a suite above the store runs on (the engine's suites run on each). PostgreSQL's
 * store is a fresh schema of {@link PostgresFixture}'s database; a suite with many operations runs
 * fewer of them there ({@link #scaled}), each being a network round trip.
 */
public enum KvBackend {
    MEMORY(1) {
        @Override
        public KvStore open(Path dir) {
            return new MemoryKvStore();
        }
    },
    ROCKSDB(1) {
        @Override
        public KvStore open(Path dir) {
            return RocksDbKvStore.open(dir, false); // the engine suites test semantics, not fsync (test_durability does)
        }
    },
    POSTGRES(3) {
        @Override
        public KvStore open(Path dir) {
            PostgresFixture pg = PostgresFixture.shared();
            return PostgresKvStore.open(pg.config(pg.newSchema()));
        }
    };

    private final int divisor;

    KvBackend(int divisor) {
        this.divisor = divisor;
    }

    /** A new, empty store; {@code dir} is a folder it may use (RocksDB's). */
    public abstract KvStore open(Path dir);

    /** {@code n} operations of a randomized or concurrent suite, fewer on slow backends (at least 1). */
    public int scaled(int n) {
        return Math.max(1, n / divisor);
    }
}
