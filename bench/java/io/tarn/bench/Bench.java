package io.tarn.bench;

import io.tarn.block.BlockStore;
import io.tarn.block.BlockStoreConfig;
import io.tarn.block.BlockStores;
import io.tarn.block.local.LocalBlockStore;
import io.tarn.engine.EngineConfig;
import io.tarn.engine.TarnEngine;
import io.tarn.kv.KvStore;
import io.tarn.kv.KvStores;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The engine as the server builds it: RocksDB metadata under {@code <data>/kv}, local block store
 * under {@code <data>/blocks}, range cache under {@code <data>/cache}. The server started by the HTTP
 * scenarios is configured with the same three folders, so data seeded here is what it serves.
 */
final class Bench implements AutoCloseable {
    final KvStore kv;
    final BlockStore blocks;
    final TarnEngine engine;

    /**
     * @param fsync true: the block store exactly as the server opens it (which syncs every file);
     *              false: a local store that does not sync (for seeding data, which is not measured)
     */
    Bench(Path data, boolean fsync) throws Exception {
        Files.createDirectories(data);
        kv = KvStores.open(KvStores.LOCAL, data.resolve("kv"));
        Path root = data.resolve("blocks");
        blocks = fsync
                ? BlockStores.open(new BlockStoreConfig("local", new BlockStoreConfig.Local(root.toString()), null))
                : new LocalBlockStore(root, false);
        engine = new TarnEngine(kv, blocks, EngineConfig.defaults(data.resolve("cache")));
    }

    static String namespace(String repo) {
        return "local://" + repo;
    }

    @Override
    public void close() {
        engine.close();
        blocks.close();
        kv.close();
    }
}
