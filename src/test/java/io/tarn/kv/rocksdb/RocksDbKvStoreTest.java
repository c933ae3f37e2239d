package io.tarn.kv.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.kv.KvBatch;
import io.tarn.kv.KvException;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import io.tarn.kv.KvStoreContractTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbKvStoreTest extends KvStoreContractTest {

    @TempDir
    Path dir;

    @Override
    protected KvStore newStore() {
        return RocksDbKvStore.open(dir.resolve("kv"));
    }

    @Test
    void reopeningKeepsTheData() {
        store.put(b("a"), b("1"));
        store.put(bytes(0xFF, 0), bytes(0, 0));
        store.write(new KvBatch().put(b("p/1"), b("x")).put(b("p/2"), b("y")).put(b("q"), b("z")));
        store.compareAndSet(b("a"), b("1"), b("2"));
        store.deletePrefix(b("p/"));
        store.delete(b("q"));
        store.close();

        store = RocksDbKvStore.open(dir.resolve("kv"));
        assertThat(store.get(b("a")).orElseThrow()).isEqualTo(b("2"));
        assertThat(store.get(bytes(0xFF, 0)).orElseThrow()).isEqualTo(bytes(0, 0));
        assertThat(drain(store.scan(new byte[0], null))).extracting(e -> e.key())
                .containsExactly(b("a"), bytes(0xFF, 0));
        store.put(b("b"), b("3"));
        store.close();

        store = RocksDbKvStore.open(dir.resolve("kv"));
        assertThat(keys(b(""), null)).hasSize(3);
    }

    @Test
    void writesAreSyncedUnlessSwitchedOff() {
        assertThat(((RocksDbKvStore) store).syncsWrites()).as("database.local.sync_writes defaults to true").isTrue();
        store.close();
        store = RocksDbKvStore.open(dir.resolve("kv"), false);
        assertThat(((RocksDbKvStore) store).syncsWrites()).isFalse();
        store.put(b("a"), b("1"));
        store.close();
        store = io.tarn.kv.KvStores.open("local", dir.resolve("kv"), false);
        assertThat(((RocksDbKvStore) store).syncsWrites()).isFalse();
        assertThat(store.get(b("a"))).isPresent();
        store.close();
        store = io.tarn.kv.KvStores.open("local", dir.resolve("kv"));
        assertThat(((RocksDbKvStore) store).syncsWrites()).isTrue();
    }

    @Test
    void aNewMetadataFolderIsOwnerOnly() throws Exception {
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("kv")))).isEqualTo("rwx------");
    }

    /** Every file and folder under {@code root} that the group or others may use, with its permissions. */
    private static java.util.List<String> notOwnerOnly(Path root) throws java.io.IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !Files.isSymbolicLink(p)).map(p -> {
                try {
                    String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                    return mode.substring(3).equals("------") ? null : root.relativize(p) + " " + mode;
                } catch (java.io.IOException gone) {
                    return null; // an obsolete file RocksDB deleted meanwhile
                }
            }).filter(java.util.Objects::nonNull).toList();
        }
    }

    /** The names of the regular files under {@code root}. */
    private static java.util.List<String> fileNames(Path root) throws java.io.IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void everyFileOfTheMetadataFolderIsOwnerOnlyAfterWritesFlushesAndCompaction() throws Exception {
        Path kv = dir.resolve("kv");
        RocksDbKvStore rocks = (RocksDbKvStore) store;
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 500; i++) {
                store.put(b("round" + round + "/key" + i), b("value " + i));
            }
            rocks.flushAndCompact();
        }
        store.put(b("after"), b("the last compaction"));
        assertThat(fileNames(kv)).as("table files, write-ahead log, manifest, options, info log")
                .anyMatch(n -> n.endsWith(".sst")).anyMatch(n -> n.endsWith(".log"))
                .anyMatch(n -> n.startsWith("MANIFEST-")).anyMatch(n -> n.startsWith("OPTIONS-"))
                .contains("CURRENT", "LOG");
        // the listener runs on RocksDB's background threads, after the flush or compaction it reports
        java.util.List<String> open = notOwnerOnly(kv);
        for (int i = 0; i < 100 && !open.isEmpty(); i++) {
            Thread.sleep(50);
            open = notOwnerOnly(kv);
        }
        assertThat(open).as("files the group or others can read").isEmpty();
        store.close();
        // a folder left readable by an older version (or by hand) is made owner-only when opened again
        Files.setPosixFilePermissions(kv, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(kv.resolve("CURRENT"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        store = RocksDbKvStore.open(kv);
        assertThat(notOwnerOnly(kv)).isEmpty();
        assertThat(store.get(b("after"))).isPresent();
    }

    @Test
    void aSecondHandleOnTheSameDirectoryIsRefused() {
        store.put(b("a"), b("1"));
        assertThatThrownBy(() -> RocksDbKvStore.open(dir.resolve("kv")))
                .isInstanceOf(KvException.class)
                .hasMessageContaining(dir.resolve("kv").toString());
        assertThat(store.get(b("a")).orElseThrow()).isEqualTo(b("1"));
    }

    @Test
    void aFileInPlaceOfTheDirectoryIsAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "not a database");
        assertThatThrownBy(() -> RocksDbKvStore.open(file))
                .isInstanceOf(KvException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void closingReleasesScansSoTheDirectoryCanBeReopened() {
        for (int i = 0; i < 100; i++) {
            store.put(b("k" + i), b("v"));
        }
        KvIterator unfinished = store.scan(b("k"), null);
        unfinished.next();
        KvIterator untouched = store.scan(b(""), null);
        store.close();
        store = RocksDbKvStore.open(dir.resolve("kv"));
        assertThat(keys(b("k"), null)).hasSize(100);
        unfinished.close();
        untouched.close();
    }
}
