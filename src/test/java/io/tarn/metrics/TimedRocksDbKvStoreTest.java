package io.tarn.metrics;

import io.tarn.kv.KvStore;
import io.tarn.kv.KvStoreContractTest;
import io.tarn.kv.rocksdb.RocksDbKvStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/** The KV contract holds through the timing decorator (RocksDB store). */
class TimedRocksDbKvStoreTest extends KvStoreContractTest {
    private static final TarnMetrics METRICS = TarnMetrics.create();

    @TempDir
    Path dir;

    @AfterAll
    static void closeMetrics() {
        METRICS.close();
    }

    @Override
    protected KvStore newStore() {
        return METRICS.timed(RocksDbKvStore.open(dir.resolve("kv")));
    }
}
