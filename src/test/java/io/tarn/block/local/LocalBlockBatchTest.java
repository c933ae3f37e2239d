package io.tarn.block.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.BlockBatch;
import io.tarn.block.StorageNamespace;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local store's batches: each file's data is forced to disk before its rename, as in a plain
 * put, and the folders are synced once each, by {@link BlockBatch#sync()}, after every rename of the
 * batch; an object relied on has its folder synced too.
 */
class LocalBlockBatchTest {

    @TempDir
    Path root;

    private final List<String> steps = Collections.synchronizedList(new ArrayList<>());

    private LocalBlockStore store(boolean sync) {
        LocalBlockStore s = new LocalBlockStore(root, sync);
        s.onDurabilityStep(steps::add);
        return s;
    }

    private static ByteArrayInputStream body(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> kinds() {
        return steps.stream().map(e -> e.substring(0, e.indexOf(' '))).toList();
    }

    @Test
    void aPlainPutForcesPublishesAndSyncsItsFolder() {
        LocalBlockStore s = store(true);
        StorageNamespace ns = s.namespace("local://repo");
        s.put(ns, "_tarn/trees/t1", body("tree"), 4);
        assertThat(kinds()).containsExactly("force", "publish", "sync-folder");
        String temp = steps.get(0).split(" ")[1];
        assertThat(steps.get(1)).isEqualTo("publish " + temp + " repo/_tarn/trees/t1");
        assertThat(steps.get(2)).isEqualTo("sync-folder repo/_tarn/trees");
    }

    @Test
    void aBatchForcesEachFileBeforeItsRenameAndSyncsEachFolderOnceAtTheEnd() throws Exception {
        LocalBlockStore s = store(true);
        StorageNamespace ns = s.namespace("local://repo");
        BlockBatch batch = s.batch();
        for (int i = 0; i < 3; i++) {
            batch.put(ns, "_tarn/ranges/r" + i, body("range " + i), 7);
        }
        batch.put(ns, "_tarn/trees/t", body("tree"), 4);

        // nothing synced yet but each file's data, always before its rename
        assertThat(kinds()).doesNotContain("sync-folder").hasSize(8);
        for (int i = 0; i < steps.size(); i += 2) {
            String temp = steps.get(i).substring("force ".length());
            assertThat(steps.get(i)).startsWith("force ");
            assertThat(steps.get(i + 1)).startsWith("publish " + temp + " repo/_tarn/");
        }
        // the objects are visible already
        try (var in = s.get(ns, "_tarn/ranges/r1", null)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("range 1");
        }

        batch.sync();
        List<String> syncs = steps.subList(8, steps.size());
        assertThat(syncs).containsExactlyInAnyOrder("sync-folder repo/_tarn/ranges", "sync-folder repo/_tarn/trees");

        // a second sync has nothing left to do
        steps.clear();
        batch.sync();
        assertThat(steps).isEmpty();
    }

    @Test
    void anObjectReliedOnHasItsFolderSynced() {
        LocalBlockStore s = store(true);
        StorageNamespace ns = s.namespace("local://repo");
        BlockBatch first = s.batch();
        first.put(ns, "_tarn/ranges/shared", body("range"), 5); // published, its folder not synced yet
        steps.clear();

        BlockBatch second = s.batch();
        second.rely(ns, "_tarn/ranges/shared");
        second.put(ns, "_tarn/trees/t", body("tree"), 4);
        second.sync();
        assertThat(steps.stream().filter(e -> e.startsWith("sync-folder")))
                .containsExactlyInAnyOrder("sync-folder repo/_tarn/ranges", "sync-folder repo/_tarn/trees");
    }

    @Test
    void aFileIsLinkedIntoPlaceWithItsEtagOwnerOnlyAndForcedBeforeItsRename() throws Exception {
        LocalBlockStore s = store(true);
        StorageNamespace ns = s.namespace("local://repo");
        Path source = root.resolve("outside.sst");
        java.nio.file.Files.writeString(source, "sst bytes");
        BlockBatch batch = s.batch();
        io.tarn.block.PutResult r = batch.putFile(ns, "_tarn/ranges/r", source);
        batch.sync();

        assertThat(r.size()).isEqualTo(9);
        assertThat(r.etag()).isEqualTo(io.tarn.block.Md5.hex(java.security.MessageDigest.getInstance("MD5")
                .digest("sst bytes".getBytes(StandardCharsets.UTF_8))));
        Path stored = s.root().resolve("repo/_tarn/ranges/r");
        assertThat(java.nio.file.Files.isSameFile(stored, source)).as("linked, not copied").isTrue();
        assertThat(java.nio.file.Files.readString(source)).isEqualTo("sst bytes"); // the caller's name stays
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(stored)))
                .isEqualTo("rw-------");
        assertThat(s.stat(ns, "_tarn/ranges/r")).get().extracting(io.tarn.block.BlockStat::etag).isEqualTo(r.etag());
        assertThat(kinds()).containsExactly("force", "publish", "sync-folder");
        assertThat(steps.get(1)).startsWith("publish " + steps.get(0).substring("force ".length()) + " ");
    }

    @Test
    void aLinkIsNotAFileToPut() throws Exception {
        LocalBlockStore s = store(true);
        StorageNamespace ns = s.namespace("local://repo");
        Path target = root.resolve("target.txt");
        java.nio.file.Files.writeString(target, "x");
        Path link = java.nio.file.Files.createSymbolicLink(root.resolve("link"), target);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.batch().putFile(ns, "_tarn/ranges/r", link))
                .isInstanceOf(io.tarn.block.BlockStoreException.class);
        assertThat(s.stat(ns, "_tarn/ranges/r")).isEmpty();
    }

    @Test
    void withoutSyncABatchIsPlainPuts() {
        LocalBlockStore s = store(false);
        StorageNamespace ns = s.namespace("local://repo");
        BlockBatch batch = s.batch();
        batch.put(ns, "_tarn/ranges/r", body("range"), 5);
        batch.sync();
        assertThat(kinds()).containsExactly("publish");
    }
}
