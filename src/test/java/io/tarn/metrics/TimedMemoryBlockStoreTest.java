package io.tarn.metrics;

import io.tarn.block.BlockStore;
import io.tarn.block.BlockStoreContractTest;
import io.tarn.block.memory.MemoryBlockStore;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/** The block store contract holds through the timing decorator (memory store). */
class TimedMemoryBlockStoreTest extends BlockStoreContractTest {
    private static final TarnMetrics METRICS = TarnMetrics.create();

    @AfterAll
    static void closeMetrics() {
        METRICS.close();
    }

    @Override
    protected BlockStore openStore() {
        return METRICS.timed(new MemoryBlockStore());
    }

    @Override
    protected String freshNamespaceUri() {
        return "mem://" + uniqueName();
    }

    @Override
    protected List<String> invalidNamespaceUris() {
        return List.of("mem://", "mem:///x", "mem://a/../b", "mem://a/./b", "mem://a//b", "mem://a\\b",
                "mem://a/b\u0000c", "mem://../x");
    }
}
