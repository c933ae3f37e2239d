package io.tarn.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.kv.memory.MemoryKvStore;
import io.tarn.kv.rocksdb.RocksDbKvStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvStoresTest {

    @TempDir
    Path dir;

    @Test
    void localOpensRocksDbInTheDirectory() {
        Path path = dir.resolve("metadata");
        try (KvStore store = KvStores.open("local", path)) {
            assertThat(store).isInstanceOf(RocksDbKvStore.class);
            store.put("k".getBytes(StandardCharsets.UTF_8), new byte[] {1});
        }
        assertThat(path).isDirectory();
        try (KvStore store = KvStores.open("local", path)) {
            assertThat(store.get("k".getBytes(StandardCharsets.UTF_8))).isPresent();
        }
    }

    @Test
    void memOpensAFreshInMemoryStore() {
        try (KvStore first = KvStores.open("mem", null); KvStore second = KvStores.open("mem", dir)) {
            assertThat(first).isInstanceOf(MemoryKvStore.class);
            first.put(new byte[] {1}, new byte[] {1});
            assertThat(second.get(new byte[] {1})).isEmpty();
        }
    }

    @Test
    void unknownOrMissingTypesAreRejectedClearly() {
        assertThatThrownBy(() -> KvStores.open("cassandra", dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"cassandra\"")
                .hasMessageContaining("local")
                .hasMessageContaining("mem")
                .hasMessageContaining("postgres");
        assertThatThrownBy(() -> KvStores.open("postgres", dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database.postgres.connection_string");
        assertThatThrownBy(() -> KvStores.open(null, dir)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KvStores.open(" ", dir)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KvStores.open("local", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("directory");
    }
}
