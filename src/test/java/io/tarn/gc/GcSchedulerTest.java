package io.tarn.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.EngineConfig;
import io.tarn.engine.TarnEngine;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.kv.memory.MemoryKvStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one scheduled round does: every repository collected, past a failing one. */
class GcSchedulerTest {
    @TempDir
    Path tmp;

    @Test
    void aRoundCollectsEveryRepository() throws Exception {
        try (MemoryKvStore kv = new MemoryKvStore(); MemoryBlockStore blocks = new MemoryBlockStore();
             TarnEngine engine = new TarnEngine(kv, blocks, EngineConfig.defaults(tmp.resolve("cache")))) {
            List<String> overwritten = new ArrayList<>();
            for (int i = 0; i < 105; i++) { // more than one page of repositories
                String repo = String.format("sched-%03d", i);
                engine.createRepository(repo, "mem://" + repo, "main");
                if (i % 50 == 0) {
                    byte[] d = {1};
                    ObjectEntry first = engine.putObject(repo, "main", "x", new ByteArrayInputStream(d), 1, null, Map.of());
                    engine.putObject(repo, "main", "x", new ByteArrayInputStream(d), 1, null, Map.of());
                    overwritten.add(repo + "|" + first.physicalAddress());
                }
            }
            Thread.sleep(20);
            GarbageCollector gc = new GarbageCollector(engine.gcAccess(), tmp.resolve("work"));
            GcScheduler.collectAll(engine, gc, GcOptions.defaults().withGrace(Duration.ofMillis(1)));
            for (String o : overwritten) {
                String[] f = o.split("\\|");
                assertThat(blocks.stat(blocks.namespace("mem://" + f[0]), f[1])).as(o).isEmpty();
                assertThat(engine.statObject(f[0], "main", "x").size()).isEqualTo(1);
            }
        }
    }
}
