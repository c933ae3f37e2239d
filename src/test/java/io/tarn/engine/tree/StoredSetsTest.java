package io.tarn.engine.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.StorageNamespace;
import io.tarn.block.local.LocalBlockStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "already stored" sets of ranges and trees: a namespace emptied and reused through another
 * server (which this store is never told about) must not make this store skip an upload.
 */
class StoredSetsTest {

    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Deletes the namespace's files, as an operator emptying it before another server reuses it. */
    private static void empty(Path root) throws Exception {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).filter(Files::isRegularFile).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aRangeKnownToBeStoredIsUploadedAgainWhenItsNamespaceWasEmptied() throws Exception {
        LocalBlockStore blocks = new LocalBlockStore(tmp.resolve("blocks"));
        StorageNamespace ns = blocks.namespace("local://shared");
        try (RangeStore writer = new RangeStore(blocks, tmp.resolve("cache-a"), 1 << 20, 1 << 20);
             RangeStore reader = new RangeStore(blocks, tmp.resolve("cache-b"), 1 << 20, 1 << 20)) {
            byte[][] keys = {b("a"), b("b")};
            byte[][] values = {b("1"), b("2")};
            RangeRef ref = writer.write(ns, "range-0001", keys, values, 2, 4);
            assertThat(blocks.stat(ns, RangeStore.PREFIX + "range-0001")).isPresent();

            empty(tmp.resolve("blocks"));
            writer.write(ns, "range-0001", keys, values, 2, 4); // known to the writer: it must check

            assertThat(blocks.stat(ns, RangeStore.PREFIX + "range-0001")).isPresent();
            assertThat(reader.load(ns, ref).size()).isEqualTo(2);
        }
    }

    @Test
    void aTreeKnownToBeStoredIsUploadedAgainWhenItsNamespaceWasEmptied() throws Exception {
        LocalBlockStore blocks = new LocalBlockStore(tmp.resolve("blocks"));
        StorageNamespace ns = blocks.namespace("local://shared");
        TreeStore writer = new TreeStore(blocks, 1000);
        TreeStore reader = new TreeStore(blocks, 1000);
        TreeIndex tree = new TreeIndex(List.of(new RangeRef("range-0001", b("a"), b("b"), 2, 4)));
        String id = writer.write(ns, tree);
        assertThat(blocks.stat(ns, TreeStore.PREFIX + id)).isPresent();

        empty(tmp.resolve("blocks"));
        assertThat(writer.write(ns, tree)).isEqualTo(id);

        assertThat(blocks.stat(ns, TreeStore.PREFIX + id)).isPresent();
        assertThat(reader.load(ns, id).ranges()).extracting(RangeRef::id).containsExactly("range-0001");
    }
}
