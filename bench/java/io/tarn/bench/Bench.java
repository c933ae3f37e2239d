package io.tarn.bench;

import io.tarn.block.BlockStore;
import io.tarn.block.BlockStoreConfig;
import io.tarn.block.BlockStores;
import io.tarn.block.local.LocalBlockStore;
import io.tarn.engine.EngineConfig;
import io.tarn.engine.TarnEngine;
import io.tarn.kv.KvStore;
import io.tarn.kv.KvStores;
import io.tarn.kv.postgres.PostgresConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The engine as the server builds it: RocksDB metadata under {@code <data>/kv} (or PostgreSQL, see
 * {@link #POSTGRES}), local block store
 * under {@code <data>/blocks}, range cache under {@code <data>/cache}. The server started by the HTTP
 * scenarios is configured with the same three folders, so data seeded here is what it serves.
 */
final class Bench implements AutoCloseable {
    final KvStore kv;
    final BlockStore blocks;
    final TarnEngine engine;

    /**
     * A PostgreSQL connection string ({@code -Dtarn.bench.postgres=URL}, bench/run --kv postgres): the
     * metadata goes there instead of RocksDB (its durability is the database server's).
     */
    static final String POSTGRES = System.getProperty("tarn.bench.postgres", "");

    /** Whether the measured stores sync (the server's defaults); {@code -Dtarn.bench.sync=false} (bench/run --no-sync) turns it off. */
    static final boolean SYNC = !"false".equals(System.getProperty("tarn.bench.sync"));

    /**
     * @param measured true: the stores exactly as the server opens them (which sync every write, unless
     *                 {@link #SYNC} is off); false: stores that do not sync (for seeding data, which is
     *                 not measured)
     */
    Bench(Path data, boolean measured) throws Exception {
        Files.createDirectories(data);
        boolean sync = measured && SYNC;
        kv = POSTGRES.isEmpty()
                ? KvStores.open(KvStores.LOCAL, data.resolve("kv"), sync)
                : KvStores.open(KvStores.POSTGRES, data.resolve("kv"), sync, PostgresConfig.of(POSTGRES));
        Path root = data.resolve("blocks");
        blocks = measured
                ? BlockStores.open(BlockStoreConfig.local(root, sync))
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
