package io.tarn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.BlockStore;
import io.tarn.block.local.LocalBlockStore;
import io.tarn.config.TarnConfig;
import io.tarn.kv.rocksdb.RocksDbKvStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code database.local.sync_writes} and {@code blockstore.local.sync} reach the stores the server opens. */
class StoresSyncTest {
    @TempDir
    Path dir;

    private TarnConfig config(Map<String, String> flags) {
        Map<String, String> all = new java.util.HashMap<>(Map.of(
                "database.local.path", dir.resolve("metadata").toString(),
                "blockstore.local.path", dir.resolve("data").toString(),
                "auth.encrypt.secret_key", "a-test-key-for-the-sync-settings"));
        all.putAll(flags);
        return TarnConfig.load(null, Map.of(), all).config();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "true", "false"})
    void theSettingsReachTheStores(String value) throws Exception {
        boolean expected = !value.equals("false");
        Map<String, String> flags = value.isEmpty() ? Map.of()
                : Map.of("database.local.sync_writes", value, "blockstore.local.sync", value);
        TarnConfig config = config(flags);
        try (TarnServer.AuthOnly opened = TarnServer.openAuthOnly(config)) {
            assertThat(((RocksDbKvStore) opened.kv()).syncsWrites()).isEqualTo(expected);
        }
        try (BlockStore blocks = Stores.openBlocks(config)) {
            assertThat(((LocalBlockStore) blocks).syncs()).isEqualTo(expected);
        }
    }

    @Test
    void theFoldersTheServerCreatesAreOwnerOnly() throws Exception {
        TarnConfig config = TarnConfig.load(null, Map.of(), Map.of(
                "database.local.path", dir.resolve("new/metadata").toString(),
                "blockstore.local.path", dir.resolve("new/data").toString())).config();
        try (TarnServer.AuthOnly opened = TarnServer.openAuthOnly(config);
             BlockStore blocks = Stores.openBlocks(config)) {
            assertThat(mode(dir.resolve("new"))).isEqualTo("rwx------");
            assertThat(mode(dir.resolve("new/metadata"))).isEqualTo("rwx------");
            assertThat(mode(dir.resolve("new/metadata").resolve(SecretKeys.FILE_NAME))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("new/data"))).isEqualTo("rwx------");
        }
    }

    private static String mode(Path p) throws java.io.IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(p));
    }

    @Test
    void eachSettingIsIndependent() throws Exception {
        TarnConfig config = config(Map.of("database.local.sync_writes", "false"));
        try (TarnServer.AuthOnly opened = TarnServer.openAuthOnly(config)) {
            assertThat(((RocksDbKvStore) opened.kv()).syncsWrites()).isFalse();
        }
        try (BlockStore blocks = Stores.openBlocks(config)) {
            assertThat(((LocalBlockStore) blocks).syncs()).isTrue();
        }
    }
}
