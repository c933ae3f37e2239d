package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.BlockStore;
import io.tarn.block.local.LocalBlockStore;
import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.error.NothingToCommitException;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.ChangeType;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.DiffType;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.tree.Boundary;
import io.tarn.kv.ForwardingKvStore;
import io.tarn.kv.KvBackend;
import io.tarn.kv.KvStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads writing and committing on one branch: afterwards every acknowledged write is in exactly
 * one commit or still staged, the latest acknowledged version of every path is what the branch shows,
 * and the commits form one chain in which every commit's parent is the previous head.
 */
class ConcurrencyTest extends EngineBackendTest {

    @TempDir
    Path tmp;

    static final String REPO = "race";

    @Test
    void writersAndCommitters() throws Exception {
        if (backend == KvBackend.ROCKSDB) {
            run(newKv(), new LocalBlockStore(tmp.resolve("blocks")), "local://race");
        } else {
            run(newKv(), new MemoryBlockStore(), "mem://race");
        }
    }

    /**
     * Merges from several feature branches race each other and empty commits on the destination: every
     * merge lands exactly once on the first-parent chain, with the head it raced against as first parent,
     * and every merged file is there in the end.
     */
    @Test
    void racingMergesAndCommitsOnOneBranch() throws Exception {
        EngineConfig cfg = EngineConfig.defaults(tmp.resolve("cache-m")).withBoundary(new Boundary(8, 256, 1 << 20));
        try (TarnEngine engine = new TarnEngine(newKv(), new MemoryBlockStore(), cfg)) {
            engine.createRepository(REPO, "mem://merges", "main");
            int features = 4;
            int rounds = 15;
            ExecutorService pool = Executors.newFixedThreadPool(features + 1);
            Set<String> landed = ConcurrentHashMap.newKeySet();
            AtomicBoolean done = new AtomicBoolean();
            List<Future<?>> fs = new ArrayList<>();
            for (int f = 0; f < features; f++) {
                String branch = "f" + f;
                engine.createBranch(REPO, branch, "main");
                fs.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        engine.stageObject(REPO, branch, new ObjectEntry(branch + "/" + r, "data/" + branch + r, r,
                                String.format("%032x", r), 1L, null, Map.of()));
                        engine.commit(REPO, branch, new CommitRequest("work", "t", Map.of(), false));
                        landed.add(engine.merge(REPO, branch, "main",
                                new io.tarn.engine.model.MergeRequest(null, "t", null, null)).commit().id());
                    }
                    return null;
                }));
            }
            Future<?> bumper = pool.submit(() -> {
                while (!done.get()) {
                    landed.add(engine.commit(REPO, "main", new CommitRequest("bump", "t", Map.of(), true)).id());
                    Thread.sleep(2); // a busy branch, not a livelock: optimistic updates need some gaps
                }
                return null;
            });
            for (Future<?> f : fs) {
                f.get(5, TimeUnit.MINUTES);
            }
            done.set(true);
            bumper.get(1, TimeUnit.MINUTES);
            pool.shutdown();
            List<Commit> chain = engine.log(REPO, "main", true, null, 100_000).items();
            assertThat(chain).hasSize(landed.size() + 1);
            assertThat(chain.subList(0, chain.size() - 1)).extracting(Commit::id).containsExactlyInAnyOrderElementsOf(landed);
            for (int f = 0; f < features; f++) {
                for (int r = 0; r < rounds; r++) {
                    assertThat(engine.statObject(REPO, "main", "f" + f + "/" + r).size()).isEqualTo(r);
                }
            }
        }
    }

    /** Staged writes that sometimes stall between reading the branch and writing: widens every race window. */
    @Test
    void writersAndCommittersWithStallingWrites() throws Exception {
        run(new StallingKv(newKv()), new MemoryBlockStore(), "mem://race");
    }

    static final class StallingKv extends ForwardingKvStore {

        StallingKv(KvStore in) {
            super(in);
        }

        @Override
        public void put(byte[] key, byte[] value) {
            if (key.length > 6 && key[0] == 's' && key[1] == 't' && java.util.concurrent.ThreadLocalRandom.current().nextInt(10) == 0) {
                try {
                    Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(2, 15));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            in.put(key, value);
        }
    }

    void run(KvStore kv, BlockStore blocks, String ns) throws Exception {
        EngineConfig cfg = EngineConfig.defaults(tmp.resolve("cache")).withBoundary(new Boundary(8, 256, 1 << 20));
        try (TarnEngine engine = new TarnEngine(kv, blocks, cfg)) {
            engine.createRepository(REPO, ns, "main");
            int writers = 6;
            int committers = 3;
            int writesPerWriter = scaled(400);
            ExecutorService pool = Executors.newFixedThreadPool(writers + committers);
            AtomicBoolean done = new AtomicBoolean();
            /** path -> last acknowledged version. */
            Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
            Set<String> returnedCommits = ConcurrentHashMap.newKeySet();
            List<Future<?>> writing = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                writing.add(pool.submit(() -> {
                    for (int i = 0; i < writesPerWriter; i++) {
                        // each writer rewrites its own paths, so its last write of a path must win
                        String path = "w" + id + "/p" + (i % 150);
                        int version = i;
                        engine.stageObject(REPO, "main", new ObjectEntry(path, "data/" + id + "/" + i, version,
                                String.format("%032x", id * 100_000L + version), 1L, null, Map.of()));
                        acknowledged.put(path, version);
                        if (i % 20 == 19) {
                            Thread.sleep(1); // let commits interleave with the writes
                        }
                        if (i % 100 == 99) {
                            // and make sure they do, however slow the machine: wait for a commit per 100 writes
                            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                            while (returnedCommits.size() <= i / 100 && System.nanoTime() < deadline) {
                                Thread.sleep(1);
                            }
                        }
                    }
                    return null;
                }));
            }
            List<Future<?>> committing = new ArrayList<>();
            for (int c = 0; c < committers; c++) {
                committing.add(pool.submit(() -> {
                    while (!done.get()) {
                        try {
                            Commit commit = engine.commit(REPO, "main", new CommitRequest("c", "t", Map.of(), false));
                            returnedCommits.add(commit.id());
                        } catch (NothingToCommitException e) {
                            Thread.onSpinWait();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : writing) {
                f.get(5, TimeUnit.MINUTES);
            }
            done.set(true);
            for (Future<?> f : committing) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();

            // the commits form a single first-parent chain containing every returned commit exactly once
            List<Commit> chain = new ArrayList<>();
            String after = null;
            while (true) {
                Page<Commit> page = engine.log(REPO, "main", false, after, 1000);
                chain.addAll(page.items());
                if (!page.hasMore()) {
                    break;
                }
                after = page.nextOffset();
            }
            assertThat(chain).as("first-parent chain vs %d returned commits", returnedCommits.size())
                    .hasSize(returnedCommits.size() + 1);
            for (int i = 0; i < chain.size() - 1; i++) {
                assertThat(chain.get(i).parents()).containsExactly(chain.get(i + 1).id());
                assertThat(returnedCommits).contains(chain.get(i).id());
            }
            assertThat(returnedCommits.size()).as("commits made while writing").isGreaterThan(1);

            // every acknowledged path is committed or staged, with its last acknowledged version
            for (Map.Entry<String, Integer> e : acknowledged.entrySet()) {
                ObjectEntry seen = engine.statObject(REPO, "main", e.getKey());
                assertThat(seen.size()).as(e.getKey()).isEqualTo(e.getValue().longValue());
            }
            // each version written shows up as the change of exactly one commit, or is still staged
            Map<String, Integer> addedIn = new HashMap<>();
            Set<String> changeKeys = new HashSet<>();
            for (int i = 0; i < chain.size() - 1; i++) {
                String c = chain.get(i).id();
                String p = chain.get(i + 1).id();
                String diffAfter = null;
                while (true) {
                    Page<Change> page = engine.diffRefs(REPO, c, p, DiffType.TWO_DOT, diffAfter, 1000);
                    for (Change ch : page.items()) {
                        assertThat(ch.type()).isNotEqualTo(ChangeType.REMOVED);
                        String key = ch.path() + "@" + ch.entry().size();
                        assertThat(changeKeys.add(key)).as("version committed twice: " + key).isTrue();
                        if (ch.type() == ChangeType.ADDED) {
                            addedIn.merge(ch.path(), 1, Integer::sum);
                        }
                    }
                    if (!page.hasMore()) {
                        break;
                    }
                    diffAfter = page.nextOffset();
                }
            }
            Set<String> staged = new HashSet<>();
            for (Change ch : engine.diffBranch(REPO, "main", null, 100_000).items()) {
                staged.add(ch.path());
            }
            for (String path : acknowledged.keySet()) {
                int added = addedIn.getOrDefault(path, 0);
                assertThat(added).as("commits that added " + path).isLessThanOrEqualTo(1);
                if (added == 0) {
                    assertThat(staged).as("uncommitted " + path).contains(path);
                }
            }
            // and a last commit takes whatever is still staged
            try {
                engine.commit(REPO, "main", new CommitRequest("last", "t", Map.of(), false));
            } catch (NothingToCommitException e) {
                assertThat(staged).isEmpty();
            }
            assertThat(engine.diffBranch(REPO, "main", null, 10).items()).isEmpty();
            for (Map.Entry<String, Integer> e : acknowledged.entrySet()) {
                assertThat(engine.statObject(REPO, "main@", e.getKey()).size()).isEqualTo(e.getValue().longValue());
            }
        }
    }
}
