package io.tarn.metrics;

import io.tarn.kv.KvStore;
import io.tarn.kv.KvStoreContractTest;
import io.tarn.kv.memory.MemoryKvStore;
import org.junit.jupiter.api.AfterAll;

/** The KV contract holds through the timing decorator (memory store). */
class TimedMemoryKvStoreTest extends KvStoreContractTest {
    private static final TarnMetrics METRICS = TarnMetrics.create();

    @AfterAll
    static void closeMetrics() {
        METRICS.close();
    }

    @Override
    protected KvStore newStore() {
        return METRICS.timed(new MemoryKvStore());
    }
}
