package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.block.local.LocalBlockStore;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.error.NotFoundException;
import io.tarn.kv.memory.MemoryKvStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines on one metadata store and one block store, as two servers on one database: what one
 * deletes and creates again, the other must not serve from its caches (docs/caches.md).
 */
class SharedStoreCachesTest {

    @TempDir
    Path tmp;

    private TarnEngine engine(MemoryKvStore kv, LocalBlockStore blocks, String name) {
        return new TarnEngine(kv, blocks, EngineConfig.defaults(tmp.resolve("cache-" + name)));
    }

    private static void put(TarnEngine e, String repo, String path, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        e.putObject(repo, "main", path, new ByteArrayInputStream(b), b.length, null, Map.of());
    }

    @Test
    void aRepositoryRecreatedOnTheOtherEngineDoesNotResolveItsPredecessorsCommits() {
        MemoryKvStore kv = new MemoryKvStore();
        LocalBlockStore blocks = new LocalBlockStore(tmp.resolve("blocks"));
        try (TarnEngine a = engine(kv, blocks, "a"); TarnEngine b = engine(kv, blocks, "b")) {
            a.createRepository("again", "local://again", "main");
            put(a, "again", "old.txt", "old");
            Commit old = a.commit("again", "main", new CommitRequest("old", "me", Map.of(), false));
            assertThat(a.getCommit("again", old.id()).id()).isEqualTo(old.id()); // cached on a

            b.deleteRepository("again");
            b.createRepository("again", "local://again-2", "main");

            assertThatThrownBy(() -> a.getCommit("again", old.id())).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> a.statObject("again", old.id(), "old.txt")).isInstanceOf(NotFoundException.class);
            // and the new repository's own commits are found (and cached) on both
            put(a, "again", "new.txt", "new");
            Commit fresh = a.commit("again", "main", new CommitRequest("new", "me", Map.of(), false));
            assertThat(b.getCommit("again", fresh.id()).id()).isEqualTo(fresh.id());
            assertThat(a.getCommit("again", fresh.id()).id()).isEqualTo(fresh.id());
        }
    }
}
