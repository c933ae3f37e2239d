package io.tarn.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.BlockStore;
import io.tarn.block.Md5;
import io.tarn.block.local.LocalBlockStore;
import io.tarn.engine.EngineConfig;
import io.tarn.engine.TarnEngine;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.GcRules;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeStrategy;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.tree.Boundary;
import io.tarn.error.NothingToCommitException;
import io.tarn.error.NothingToMergeException;
import io.tarn.kv.memory.MemoryKvStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers (new objects and overwrites), committers and a merger run while the collector runs again and
 * again with a one-second grace and 0-day retention (only heads and staging are kept): afterwards every
 * acknowledged write's latest version reads back from its branch with its checksum, every head reads
 * back whole, and the collector did delete garbage meanwhile.
 */
class GcConcurrencyTest {
    private static final String REPO = "gc-race";
    private static final int WRITERS = 3;

    @TempDir
    Path tmp;

    @Test
    void writersCommittersAndMergesDuringCollection() throws Exception {
        EngineConfig cfg = EngineConfig.defaults(tmp.resolve("cache")).withBoundary(new Boundary(8, 128, 1 << 20));
        try (MemoryKvStore kv = new MemoryKvStore(); BlockStore blocks = new LocalBlockStore(tmp.resolve("blocks"), false);
             TarnEngine engine = new TarnEngine(kv, blocks, cfg)) {
            engine.createRepository(REPO, "local://gc-race", "main");
            for (int w = 0; w < WRITERS; w++) {
                engine.createBranch(REPO, "w" + w, "main");
            }
            engine.setGcRules(REPO, new GcRules(0, List.of()));
            // garbage that is old when the collection starts: overwritten uploads and expired commits
            for (int w = 0; w < WRITERS; w++) {
                for (int i = 0; i < 30; i++) {
                    byte[] d = ("old-" + i).getBytes(StandardCharsets.UTF_8);
                    engine.putObject(REPO, "w" + w, "old/" + (i % 10), new ByteArrayInputStream(d), d.length, null, Map.of());
                    if (i % 10 == 9) {
                        engine.commit(REPO, "w" + w, new CommitRequest("old", "t", Map.of(), false));
                    }
                }
            }
            Map<String, String> acknowledged = new ConcurrentHashMap<>(); // branch/path -> md5
            // old and only staged when the collection starts: must survive
            for (int w = 0; w < WRITERS; w++) {
                for (int i = 0; i < 20; i++) {
                    byte[] d = ("pending-" + w + "-" + i).getBytes(StandardCharsets.UTF_8);
                    engine.putObject(REPO, "w" + w, "pending/" + i, new ByteArrayInputStream(d), d.length, null, Map.of());
                    acknowledged.put("w" + w + "/pending/" + i, Md5.hexOf(d));
                }
            }
            Thread.sleep(1_500);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            AtomicLong commits = new AtomicLong();
            AtomicLong merges = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String branch = "w" + w;
                long seed = w;
                workers.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    int n = 0;
                    while (!stop.get()) {
                        String path = "f/" + rnd.nextInt(50);
                        byte[] d = (branch + "-" + n++ + "-" + rnd.nextLong()).getBytes(StandardCharsets.UTF_8);
                        // one writer per branch: the latest acknowledged write of a path is what it must show
                        engine.putObject(REPO, branch, path, new ByteArrayInputStream(d), d.length, null, Map.of());
                        acknowledged.put(branch + "/" + path, Md5.hexOf(d));
                        writes.incrementAndGet();
                    }
                    return null;
                }));
            }
            workers.add(pool.submit(() -> {
                Random rnd = new Random(99);
                while (!stop.get()) {
                    try {
                        Thread.sleep(300);
                        engine.commit(REPO, "w" + rnd.nextInt(WRITERS), new CommitRequest("c", "t", Map.of(), false));
                        commits.incrementAndGet();
                    } catch (NothingToCommitException nothing) {
                        // nothing staged at that moment
                    }
                    Thread.sleep(20);
                }
                return null;
            }));
            workers.add(pool.submit(() -> {
                Random rnd = new Random(7);
                while (!stop.get()) {
                    try {
                        engine.merge(REPO, "w" + rnd.nextInt(WRITERS), "main",
                                new MergeRequest("m", "t", Map.of(), MergeStrategy.SOURCE_WINS));
                        merges.incrementAndGet();
                    } catch (NothingToMergeException nothing) {
                        // already merged
                    }
                    Thread.sleep(50);
                }
                return null;
            }));

            GarbageCollector gc = new GarbageCollector(engine.gcAccess(), tmp.resolve("gc-work"));
            GcOptions options = GcOptions.defaults().withGrace(Duration.ofSeconds(1)).withSpillChunk(64);
            long deleted = 0;
            long runs = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (System.nanoTime() < until) {
                deleted += gc.run(REPO, options).sweep().deleted();
                runs++;
            }
            stop.set(true);
            for (Future<?> f : workers) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            deleted += gc.run(REPO, options).sweep().deleted();

            assertThat(writes.get()).isGreaterThan(100);
            assertThat(commits.get()).isPositive();
            assertThat(merges.get()).isPositive();
            assertThat(runs).isGreaterThan(1);
            assertThat(deleted).as("the collector deleted garbage while the others ran").isPositive();
            for (Map.Entry<String, String> a : acknowledged.entrySet()) {
                String branch = a.getKey().substring(0, a.getKey().indexOf('/'));
                String path = a.getKey().substring(branch.length() + 1);
                ObjectEntry e = engine.statObject(REPO, branch, path);
                assertThat(e.checksum()).as(a.getKey()).isEqualTo(a.getValue());
                try (InputStream in = engine.readObject(REPO, e, null)) {
                    assertThat(Md5.hexOf(in.readAllBytes())).as("data of " + a.getKey()).isEqualTo(a.getValue());
                }
            }
            for (String ref : List.of("main", "w0", "w1", "w2", "main@", "w0@", "w1@", "w2@")) {
                readAll(engine, ref);
            }
        }
    }

    /** Lists a ref whole and reads every object, comparing its checksum. */
    static void readAll(TarnEngine engine, String ref) throws Exception {
        String after = null;
        while (true) {
            Page<ListItem> page = engine.listObjects(REPO, ref, "", "", after, 1000);
            for (ListItem item : page.items()) {
                ObjectEntry e = (ObjectEntry) item;
                try (InputStream in = engine.readObject(REPO, e, null)) {
                    assertThat(Md5.hexOf(in.readAllBytes())).as(ref + " " + e.path()).isEqualTo(e.checksum());
                }
            }
            if (!page.hasMore()) {
                return;
            }
            after = page.nextOffset();
        }
    }
}
