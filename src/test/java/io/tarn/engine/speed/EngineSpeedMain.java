package io.tarn.engine.speed;

import io.tarn.block.BlockStore;
import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.EngineConfig;
import io.tarn.engine.TarnEngine;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.DiffType;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.kv.KvStore;
import io.tarn.kv.memory.MemoryKvStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Throwaway measurement of the engine in-process (not a test, never asserted):
 * {@code java -cp ... io.tarn.engine.speed.EngineSpeedMain [sizes...]}.
 * Prints commit, diff, merge and stat timings. The official numbers come from bench/.
 */
public final class EngineSpeedMain {

    static String path(int i) {
        return String.format("table/part=%03d/file-%07d.parquet", i % 1000, i);
    }

    static ObjectEntry entry(String path, int version) {
        return new ObjectEntry(path, "data/p/" + path.hashCode() + "-" + version, 1000 + version,
                String.format("%032x", (long) path.hashCode() * 31 + version), 1_700_000_000_000L, null, Map.of());
    }

    public static void main(String[] args) throws Exception {
        boolean disk = args.length > 0 && args[0].equals("disk");
        String[] rest = disk ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        int[] sizes = rest.length == 0 ? new int[] {100_000, 1_000_000} : java.util.Arrays.stream(rest).mapToInt(Integer::parseInt).toArray();
        Path cache = Files.createTempDirectory("tarn-speed");
        // "disk": RocksDB metadata and a local block store that syncs every file, as the server runs
        KvStore kv = disk ? io.tarn.kv.rocksdb.RocksDbKvStore.open(cache.resolve("kv")) : new MemoryKvStore();
        BlockStore blocks = disk ? new io.tarn.block.local.LocalBlockStore(cache.resolve("blocks"), true) : new MemoryBlockStore();
        System.out.println(disk ? "RocksDB + local block store (fsync)" : "memory KV + memory block store");
        try (TarnEngine engine = new TarnEngine(kv, blocks, EngineConfig.defaults(cache.resolve("cache")))) {
            for (int n : sizes) {
                String repo = "speed-" + n;
                engine.createRepository(repo, (disk ? "local://" : "mem://") + repo, "main");
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    engine.stageObject(repo, "main", entry(path(i), 0));
                }
                long t1 = System.nanoTime();
                Commit base = engine.commit(repo, "main", new CommitRequest("base", "t", Map.of(), false));
                long t2 = System.nanoTime();
                System.out.printf("n=%,d  stage %,d entries: %.2f s   commit: %.2f s (%d ranges written)%n", n, n,
                        (t1 - t0) / 1e9, (t2 - t1) / 1e9, engine.trees().ranges().rangesWritten());
                engine.createBranch(repo, "feature", "main");
                for (int k = 0; k < 10; k++) {
                    engine.stageObject(repo, "main", entry(path((int) ((long) k * n / 10 + 7)), 1));
                }
                long t3 = System.nanoTime();
                Commit next = engine.commit(repo, "main", new CommitRequest("ten", "t", Map.of(), false));
                long t4 = System.nanoTime();
                System.out.printf("n=%,d  commit of 10 changes: %.2f ms%n", n, (t4 - t3) / 1e6);
                for (int k = 0; k < 10; k++) {
                    engine.stageObject(repo, "feature", entry(path((int) ((long) k * n / 10 + 3)), 2));
                }
                engine.commit(repo, "feature", new CommitRequest("feature", "t", Map.of(), false));
                // diff: warm, repeated
                double best = Double.MAX_VALUE;
                for (int r = 0; r < 20; r++) {
                    long a = System.nanoTime();
                    int c = engine.diffRefs(repo, next.id(), base.id(), DiffType.TWO_DOT, null, 1000).items().size();
                    long b = System.nanoTime();
                    if (c != 10) {
                        throw new IllegalStateException("diff found " + c);
                    }
                    best = Math.min(best, (b - a) / 1e6);
                }
                System.out.printf("n=%,d  diff two commits differing in 10: best %.2f ms%n", n, best);
                double bestThree = Double.MAX_VALUE;
                for (int r = 0; r < 20; r++) {
                    long a = System.nanoTime();
                    engine.diffRefs(repo, "main", "feature", DiffType.THREE_DOT, null, 1000);
                    bestThree = Math.min(bestThree, (System.nanoTime() - a) / 1e6);
                }
                System.out.printf("n=%,d  three-dot diff main...feature: best %.2f ms%n", n, bestThree);
                // merge: each attempt on a fresh branch copy of feature
                double bestMerge = Double.MAX_VALUE;
                for (int r = 0; r < 10; r++) {
                    String b = "m" + r;
                    engine.createBranch(repo, b, "feature");
                    long a = System.nanoTime();
                    engine.merge(repo, "main", b, new MergeRequest(null, "t", null, null));
                    bestMerge = Math.min(bestMerge, (System.nanoTime() - a) / 1e6);
                }
                System.out.printf("n=%,d  three-way merge of 10 vs 10 changes: best %.2f ms%n", n, bestMerge);
                // random stat
                Random rnd = new Random(1);
                for (String ref : new String[] {"main@", "main"}) {
                    for (int w = 0; w < 2; w++) {
                        int m = 200_000;
                        long a = System.nanoTime();
                        for (int i = 0; i < m; i++) {
                            engine.statObject(repo, ref, path(rnd.nextInt(n)));
                        }
                        long b = System.nanoTime();
                        if (w == 1) {
                            System.out.printf("n=%,d  random stat at %s: %.2f us/op%n", n, ref, (b - a) / 1e3 / m);
                        }
                    }
                }
                // listing: full scan in pages of 1000, and a delimited page of 1000 partitions
                for (int w = 0; w < 2; w++) {
                    long a = System.nanoTime();
                    String after = null;
                    long items = 0;
                    while (true) {
                        var page = engine.listObjects(repo, "main@", "", "", after, 1000);
                        items += page.items().size();
                        if (!page.hasMore()) {
                            break;
                        }
                        after = page.nextOffset();
                    }
                    long b = System.nanoTime();
                    long c0 = System.nanoTime();
                    int parts = engine.listObjects(repo, "main", "table/", "/", null, 1000).items().size();
                    long c1 = System.nanoTime();
                    if (w == 1) {
                        System.out.printf("n=%,d  list all %,d entries in pages of 1000: %.2f s; one page of %d common prefixes: %.2f ms%n",
                                n, items, (b - a) / 1e9, parts, (c1 - c0) / 1e6);
                    }
                }
                // cold: a second engine on the same stores with an empty range cache (as after a restart)
                try (TarnEngine cold = new TarnEngine(kv, blocks, EngineConfig.defaults(cache.resolve("cold-" + n)))) {
                    long a = System.nanoTime();
                    int c = cold.diffRefs(repo, next.id(), base.id(), DiffType.TWO_DOT, null, 1000).items().size();
                    long b = System.nanoTime();
                    Random r2 = new Random(2);
                    int m = 10_000;
                    long s0 = System.nanoTime();
                    for (int i = 0; i < m; i++) {
                        cold.statObject(repo, "main@", path(r2.nextInt(n)));
                    }
                    long s1 = System.nanoTime();
                    System.out.printf("n=%,d  cold cache: first diff (%d changes) %.2f ms; %,d random stats %.1f us/op (%d ranges fetched)%n",
                            n, c, (b - a) / 1e6, m, (s1 - s0) / 1e3 / m, cold.trees().ranges().rangesDownloaded());
                }
                engine.deleteRepository(repo);
            }
        }
    }
}
