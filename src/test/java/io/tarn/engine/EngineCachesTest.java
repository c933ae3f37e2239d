package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.model.CommitRequest;
import io.tarn.kv.memory.MemoryKvStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine exposes its caches by name, each recording statistics. */
class EngineCachesTest {

    @TempDir
    Path tmp;

    @Test
    void cachesAreNamedAndRecordHits() {
        try (TarnEngine engine = new TarnEngine(new MemoryKvStore(), new MemoryBlockStore(),
                EngineConfig.defaults(tmp.resolve("cache")))) {
            engine.createRepository("cached", "mem://cached", "main");
            byte[] b = {1, 2, 3};
            engine.putObject("cached", "main", "a", new ByteArrayInputStream(b), b.length, null, Map.of());
            engine.commit("cached", "main", new CommitRequest("one", "me", Map.of(), false));
            engine.statObject("cached", "main", "a");
            engine.statObject("cached", "main", "a");

            assertThat(engine.caches()).containsKeys("tarn.ranges.decoded", "tarn.ranges.files", "tarn.ranges.stored",
                    "tarn.trees", "tarn.trees.stored", "tarn.namespaces", "tarn.commits", "tarn.staging.tokens",
                    "tarn.repositories");
            assertThat(engine.caches().get("tarn.namespaces").stats().hitCount()).isPositive();
            assertThat(engine.caches().get("tarn.ranges.decoded").stats().hitCount()).isPositive();
            assertThat(engine.caches().get("tarn.commits").stats().hitCount()).isPositive();
        }
    }
}
