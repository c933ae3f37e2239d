package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.BlockBatch;
import io.tarn.block.BlockStore;
import io.tarn.block.PutResult;
import io.tarn.block.StorageNamespace;
import io.tarn.block.local.LocalBlockStore;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeStrategy;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.refs.BranchRecord;
import io.tarn.engine.refs.KeyLayout;
import io.tarn.engine.tree.Boundary;
import io.tarn.engine.tree.RangeRef;
import io.tarn.engine.tree.RangeStore;
import io.tarn.engine.tree.TreeIndex;
import io.tarn.engine.tree.TreeStore;
import io.tarn.kv.ForwardingKvStore;
import io.tarn.kv.KvStore;
import io.tarn.kv.memory.MemoryKvStore;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit's files are durable before its ref moves: every range and tree file the new commit refers
 * to is either one its parent already referred to, or was put (or relied on) through a block batch
 * whose sync returned before the compare-and-set that points the branch at the commit. The order is
 * recorded from the engine's calls on a synced local block store and on the metadata store.
 */
class CommitDurabilityTest {

    @TempDir
    Path tmp;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private LocalBlockStore local;
    private TarnEngine engine;
    private StorageNamespace ns;

    /** The local store with its batches' puts, relies and syncs recorded (batch numbers in the lines). */
    private BlockStore recording(LocalBlockStore real) {
        AtomicInteger batches = new AtomicInteger();
        return (BlockStore) Proxy.newProxyInstance(BlockStore.class.getClassLoader(), new Class<?>[] {BlockStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("batch")) {
                        int n = batches.incrementAndGet();
                        BlockBatch inner = real.batch();
                        return new BlockBatch() {
                            @Override
                            public PutResult put(StorageNamespace ns, String key, InputStream data, long length) {
                                PutResult r = inner.put(ns, key, data, length);
                                log.add("put#" + n + " " + key);
                                return r;
                            }

                            @Override
                            public void rely(StorageNamespace ns, String key) {
                                inner.rely(ns, key);
                                log.add("rely#" + n + " " + key);
                            }

                            @Override
                            public void sync() {
                                inner.sync();
                                log.add("sync#" + n);
                            }
                        };
                    }
                    try {
                        Object r = method.invoke(real, args);
                        if (method.getName().equals("put")) {
                            log.add("put " + args[1]); // durable on its own
                        }
                        return r;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @BeforeEach
    void open() {
        local = new LocalBlockStore(tmp.resolve("blocks"), true);
        KvStore memory = new MemoryKvStore();
        // writes through the deferring view are logged as such: they are durable only with a later synced write
        KvStore deferring = new ForwardingKvStore(memory) {
            @Override
            public void put(byte[] key, byte[] value) {
                in.put(key, value);
                log.add("deferred put " + new String(key, StandardCharsets.UTF_8));
            }

            @Override
            public boolean compareAndSet(byte[] key, byte[] expected, byte[] update) {
                boolean done = in.compareAndSet(key, expected, update);
                if (done) {
                    log.add("deferred cas " + new String(key, StandardCharsets.UTF_8));
                }
                return done;
            }
        };
        KvStore kv = new ForwardingKvStore(memory) {
            @Override
            public boolean compareAndSet(byte[] key, byte[] expected, byte[] update) {
                boolean done = in.compareAndSet(key, expected, update);
                String k = new String(key, StandardCharsets.UTF_8);
                if (done && update != null && k.startsWith("branch/")) {
                    log.add("move " + k + " " + BranchRecord.decode(update).commitId());
                } else if (done) {
                    log.add("cas " + k);
                }
                return done;
            }

            @Override
            public void put(byte[] key, byte[] value) {
                in.put(key, value);
                log.add("put " + new String(key, StandardCharsets.UTF_8));
            }

            @Override
            public KvStore deferringSync() {
                return deferring;
            }
        };
        // small ranges: a commit of a few thousand entries writes dozens of range files
        engine = new TarnEngine(kv, recording(local),
                EngineConfig.defaults(tmp.resolve("cache")).withBoundary(new Boundary(32, 256, 1 << 20)));
        engine.createRepository("repo", "local://repo", "main");
        ns = local.namespace("local://repo");
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static ObjectEntry entry(String path, long n) {
        return new ObjectEntry(path, "data/x/" + n, 4096, String.format("%032x", n), 1_764_000_000_000L,
                "application/octet-stream", Map.of());
    }

    private Set<String> files(Commit c) throws Exception {
        Set<String> keys = new HashSet<>();
        if (c.treeId().equals(TreeIndex.EMPTY_ID)) {
            return keys;
        }
        keys.add(TreeStore.PREFIX + c.treeId());
        try (InputStream in = local.get(ns, TreeStore.PREFIX + c.treeId(), null)) {
            for (RangeRef r : TreeIndex.decode(in.readAllBytes()).ranges()) {
                keys.add(RangeStore.PREFIX + r.id());
            }
        }
        return keys;
    }

    /**
     * Checks the recorded order from {@code from} on: every file of {@code c} its parent did not
     * refer to was put or relied on through a batch synced before the branch moved to {@code c}.
     */
    private void assertDurableBeforeTheMove(int from, String branch, Commit c, Commit parent) throws Exception {
        List<String> events = new ArrayList<>(log.subList(from, log.size()));
        int move = events.indexOf("move branch/repo/" + branch + " " + c.id());
        assertThat(move).as("the branch moved to the commit").isGreaterThanOrEqualTo(0);
        Set<String> inherited = parent == null ? Set.of() : files(parent);
        Set<String> fresh = new HashSet<>(files(c));
        fresh.removeAll(inherited);
        assertThat(fresh).as("the commit wrote files").isNotEmpty();
        // the commit record was written without a sync of its own, before the synced move that makes it durable
        assertThat(events.subList(0, move)).contains("deferred cas commit/repo/" + c.id());
        // and no write after the move is left to a later sync
        assertThat(events.subList(move, events.size())).noneMatch(e -> e.startsWith("deferred "));
        for (String key : fresh) {
            int at = -1;
            String batch = null;
            for (int i = 0; i < move; i++) {
                String e = events.get(i);
                if ((e.startsWith("put#") || e.startsWith("rely#")) && e.endsWith(" " + key)) {
                    at = i;
                    batch = e.substring(e.indexOf('#') + 1, e.indexOf(' '));
                }
            }
            assertThat(at).as("%s was put through a batch before the branch moved", key).isGreaterThanOrEqualTo(0);
            assertThat(events.subList(at, move)).as("the batch that put %s was synced before the branch moved", key)
                    .contains("sync#" + batch);
        }
    }

    @Test
    void aCommitsFilesAreSyncedBeforeItsBranchMoves() throws Exception {
        Commit first = engine.getCommit("repo", "main"); // the repository's initial, empty commit
        for (int i = 0; i < 3_000; i++) {
            engine.stageObject("repo", "main", entry(String.format("p/%05d", i), i));
        }
        int from = log.size();
        Commit big = engine.commit("repo", "main", new CommitRequest("3,000", "t", Map.of(), false));
        assertDurableBeforeTheMove(from, "main", big, first);
        // the seal of the staging token did not wait for a sync either
        assertThat(log.subList(from, log.size())).contains("deferred cas branch/repo/main");
        // the range files were not made durable one folder sync each: one sync per batch
        assertThat(log.subList(from, log.size()).stream().filter(e -> e.startsWith("sync#")).count()).isEqualTo(1);

        for (int i = 0; i < 10; i++) {
            engine.stageObject("repo", "main", entry(String.format("p/%05d", i * 277), 10_000 + i));
        }
        from = log.size();
        Commit ten = engine.commit("repo", "main", new CommitRequest("10", "t", Map.of(), false));
        assertDurableBeforeTheMove(from, "main", ten, big);

        engine.createBranch("repo", "a", "main");
        engine.createBranch("repo", "b", "main");
        for (int i = 0; i < 10; i++) {
            engine.stageObject("repo", "a", entry(String.format("p/%05d", 1 + i * 211), 20_000 + i));
            engine.stageObject("repo", "b", entry(String.format("p/%05d", 2 + i * 211), 30_000 + i));
        }
        engine.commit("repo", "a", new CommitRequest("a", "t", Map.of(), false));
        Commit b = engine.commit("repo", "b", new CommitRequest("b", "t", Map.of(), false));
        from = log.size();
        engine.merge("repo", "a", "b", new MergeRequest("m", "t", Map.of(), MergeStrategy.NONE, false, false));
        Commit merged = engine.getCommit("repo", "b");
        assertThat(merged.parents()).hasSize(2);
        assertDurableBeforeTheMove(from, "b", merged, b);
    }

    @Test
    void aRangeFoundStoredIsReliedOnThroughTheBatchThatUsesIt() {
        try (RangeStore ranges = new RangeStore(recording(local), tmp.resolve("cache-x"), 1 << 20, 1 << 20)) {
            byte[][] keys = {"a".getBytes(StandardCharsets.UTF_8)};
            byte[][] values = {"1".getBytes(StandardCharsets.UTF_8)};
            BlockBatch first = ranges.batch();
            ranges.write(ns, first, "range-1", keys, values, 1, 2);
            // a second writer of the same range before the first batch is synced
            BlockBatch second = ranges.batch();
            ranges.write(ns, second, "range-1", keys, values, 1, 2);
            second.sync();
            assertThat(log).containsSubsequence("put#1 _tarn/ranges/range-1", "rely#2 _tarn/ranges/range-1", "sync#2");
            assertThat(Arrays.asList(log.toArray())).doesNotContain("sync#1");
        }
    }
}
