package io.tarn.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.BlockList;
import io.tarn.block.BlockStore;
import io.tarn.block.Md5;
import io.tarn.block.StorageNamespace;
import io.tarn.block.local.LocalBlockStore;
import io.tarn.block.s3.S3BlockStore;
import io.tarn.block.s3.S3ProxyFixture;
import io.tarn.engine.EngineConfig;
import io.tarn.engine.TarnEngine;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.GcRules;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeStrategy;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.tree.Boundary;
import io.tarn.kv.memory.MemoryKvStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector against a model: random uploads, overwrites, deletes, commits, branch creations and
 * deletions, merges and abandoned multipart uploads, then a dry run (deletes nothing) and a run with
 * random retention rules. Afterwards every object of a kept commit or of staging reads back with its
 * checksum (through the engine, so ranges and trees are checked too), and every address the model
 * says is unreachable is gone from the block store. On the local block store and on S3 (S3Proxy).
 */
class GcModelTest {
    private static final String REPO = "gc-model";
    private static final String MAIN = "main";

    @TempDir
    Path tmp;

    @Test
    void localBlockStore() throws Exception {
        long seed = Long.getLong("tarn.gc.seed", System.nanoTime());
        for (int round = 0; round < 2; round++) {
            long s = seed + round;
            try (BlockStore blocks = new LocalBlockStore(tmp.resolve("blocks-" + s), false)) {
                run(s, blocks, "local://gc-model-" + s);
            }
        }
    }

    @Test
    void s3BlockStore() throws Exception {
        long seed = Long.getLong("tarn.gc.seed", System.nanoTime());
        try (BlockStore blocks = new S3BlockStore(S3ProxyFixture.shared().config())) {
            run(seed, blocks, "s3://" + S3ProxyFixture.BUCKET + "/gc-model/" + UUID.randomUUID());
        }
    }

    /** A commit the model knows: its parents and what it holds (path -> entry). */
    record MCommit(String id, List<String> parents, Map<String, ObjectEntry> tree) {}

    void run(long seed, BlockStore blocks, String namespace) throws Exception {
        try {
            new Runner(seed, blocks, namespace).run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("gc model test failed with seed " + seed + " (rerun with -Dtarn.gc.seed="
                    + seed + "): " + e.getMessage(), e);
        }
    }

    final class Runner {
        final Random rnd;
        final BlockStore blocks;
        final String namespace;
        final Map<String, String> heads = new TreeMap<>();
        final Map<String, Map<String, ObjectEntry>> staged = new TreeMap<>();
        final Map<String, MCommit> commits = new HashMap<>();
        final Map<String, String> tags = new TreeMap<>();
        /** Every address the engine handed out, with the MD5 of what was written there. */
        final Map<String, String> written = new LinkedHashMap<>();
        final List<String> abandonedUploads = new ArrayList<>();
        final long seed;
        int counter;

        Runner(long seed, BlockStore blocks, String namespace) {
            this.seed = seed;
            this.rnd = new Random(seed);
            this.blocks = blocks;
            this.namespace = namespace;
        }

        void run() throws Exception {
            EngineConfig cfg = EngineConfig.defaults(tmp.resolve("cache-" + seed + "-" + UUID.randomUUID()))
                    .withBoundary(new Boundary(8, 128, 1 << 20));
            try (MemoryKvStore kv = new MemoryKvStore(); TarnEngine engine = new TarnEngine(kv, blocks, cfg)) {
                engine.createRepository(REPO, namespace, MAIN);
                String initial = engine.getBranch(REPO, MAIN).commitId();
                commits.put(initial, new MCommit(initial, List.of(), Map.of()));
                heads.put(MAIN, initial);
                staged.put(MAIN, new TreeMap<>());
                int ops = 100 + rnd.nextInt(80);
                for (int i = 0; i < ops; i++) {
                    step(engine);
                }
                // everything so far is older than a grace of zero and (after a second) than 0-day retention
                Thread.sleep(1_100);
                GcRules rules = randomRules();
                if (rules != null) {
                    engine.setGcRules(REPO, rules);
                }
                Set<String> reachable = reachable(rules);
                Set<String> unreachable = new HashSet<>(written.keySet());
                unreachable.removeAll(reachable);
                StorageNamespace ns = blocks.namespace(namespace);
                GarbageCollector gc = new GarbageCollector(engine.gcAccess(), tmp.resolve("gc-work"));
                GcOptions options = GcOptions.defaults().withGrace(Duration.ZERO).withSpillChunk(1 + rnd.nextInt(200));

                GcReport dry = gc.run(REPO, options.withDryRun(true));
                assertThat(dry.sweep().objects()).as("objects a dry run would delete").isEqualTo(unreachable.size());
                for (String address : written.keySet()) {
                    assertThat(blocks.stat(ns, address)).as("a dry run deletes nothing: " + address).isPresent();
                }
                assertThat(engine.listMultipartUploads(REPO, null, 1000).items()).hasSize(abandonedUploads.size());

                GcReport report = gc.run(REPO, options);
                assertThat(report.sweep().objects()).isEqualTo(unreachable.size());
                for (String address : unreachable) {
                    assertThat(blocks.stat(ns, address)).as("unreachable and older than the cutoff: " + address).isEmpty();
                }
                for (String address : reachable) {
                    assertThat(md5(blocks, ns, address)).as("reachable: " + address).isEqualTo(written.get(address));
                }
                verifyThroughEngine(engine, rules);
                assertThat(engine.listMultipartUploads(REPO, null, 1000).items()).isEmpty();
                assertReport(ns, report);

                // a second run finds nothing more to delete, and the data is still all there
                GcReport again = gc.run(REPO, options);
                assertThat(again.sweep().deleted()).isZero();
                verifyThroughEngine(engine, rules);
            }
        }

        GcRules randomRules() {
            int pick = rnd.nextInt(4);
            if (pick == 0) {
                return null; // no rules: every commit is kept
            }
            List<GcRules.BranchRetention> branches = new ArrayList<>();
            for (String b : heads.keySet()) {
                if (rnd.nextInt(3) == 0) {
                    branches.add(new GcRules.BranchRetention(b, rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(30)));
                }
            }
            return new GcRules(pick == 1 ? 7 : 0, branches);
        }

        /** Commits kept: heads, tags, and ancestors of a branch whose retention is at least a day. */
        Set<String> keptCommits(GcRules rules) {
            Set<String> keep = new HashSet<>(tags.values());
            List<String> starts = new ArrayList<>();
            for (Map.Entry<String, String> h : heads.entrySet()) {
                keep.add(h.getValue());
                if (rules == null || rules.retentionDays(h.getKey()) > 0) {
                    starts.add(h.getValue());
                }
            }
            if (rules == null) {
                starts.addAll(tags.values());
            }
            ArrayList<String> todo = new ArrayList<>(starts);
            Set<String> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                String c = todo.remove(todo.size() - 1);
                if (!seen.add(c)) {
                    continue;
                }
                keep.add(c);
                todo.addAll(commits.get(c).parents());
            }
            return keep;
        }

        Set<String> reachable(GcRules rules) {
            Set<String> out = new HashSet<>();
            for (String c : keptCommits(rules)) {
                commits.get(c).tree().values().forEach(e -> out.add(e.physicalAddress()));
            }
            for (Map<String, ObjectEntry> s : staged.values()) {
                s.values().forEach(e -> {
                    if (e != null) {
                        out.add(e.physicalAddress());
                    }
                });
            }
            return out;
        }

        void step(TarnEngine engine) throws Exception {
            List<String> branches = new ArrayList<>(heads.keySet());
            String b = branches.get(rnd.nextInt(branches.size()));
            int op = rnd.nextInt(100);
            if (op < 45) {
                String path = "p/" + rnd.nextInt(40);
                byte[] data = ("v" + (counter++) + "-" + rnd.nextLong()).getBytes(StandardCharsets.UTF_8);
                ObjectEntry e = engine.putObject(REPO, b, path, new ByteArrayInputStream(data), data.length, null, Map.of());
                written.put(e.physicalAddress(), Md5.hexOf(data));
                staged.get(b).put(path, e);
            } else if (op < 55) {
                Map<String, ObjectEntry> view = view(b);
                if (!view.isEmpty()) {
                    String path = new ArrayList<>(view.keySet()).get(rnd.nextInt(view.size()));
                    engine.deleteObject(REPO, b, path);
                    staged.get(b).put(path, null);
                }
            } else if (op < 72) {
                if (!view(b).equals(commits.get(heads.get(b)).tree())) {
                    Commit c = engine.commit(REPO, b, new CommitRequest("c" + counter++, "model", Map.of(), false));
                    commits.put(c.id(), new MCommit(c.id(), List.of(heads.get(b)), view(b)));
                    heads.put(b, c.id());
                    staged.get(b).clear();
                }
            } else if (op < 80) {
                if (heads.size() < 6) {
                    String name = "b" + counter++;
                    engine.createBranch(REPO, name, b);
                    heads.put(name, heads.get(b));
                    staged.put(name, new TreeMap<>());
                }
            } else if (op < 86) {
                if (!b.equals(MAIN)) {
                    engine.deleteBranch(REPO, b);
                    heads.remove(b);
                    staged.remove(b);
                }
            } else if (op < 94) {
                String dest = branches.get(rnd.nextInt(branches.size()));
                if (!dest.equals(b) && staged.get(dest).isEmpty()) {
                    try {
                        var r = engine.merge(REPO, b, dest, new MergeRequest("m", "model", Map.of(), MergeStrategy.SOURCE_WINS));
                        commits.put(r.commit().id(), new MCommit(r.commit().id(), r.commit().parents(),
                                committedTree(engine, r.commit().id())));
                        heads.put(dest, r.commit().id());
                    } catch (io.tarn.error.NothingToMergeException nothing) {
                        // the source is already in the destination
                    }
                }
            } else if (op < 97) {
                if (tags.size() < 3) {
                    String tag = "t" + counter++;
                    engine.createTag(REPO, tag, heads.get(b));
                    tags.put(tag, heads.get(b));
                }
            } else {
                var u = engine.createMultipartUpload(REPO, b, "mp/" + counter++, null, Map.of());
                byte[] part = new byte[] {1, 2, 3};
                engine.uploadPart(REPO, u.id(), 1, new ByteArrayInputStream(part), part.length);
                abandonedUploads.add(u.id());
            }
        }

        /** What the branch shows: its head with its staged changes. */
        Map<String, ObjectEntry> view(String b) {
            Map<String, ObjectEntry> out = new TreeMap<>(commits.get(heads.get(b)).tree());
            staged.get(b).forEach((path, e) -> {
                if (e == null) {
                    out.remove(path);
                } else {
                    out.put(path, e);
                }
            });
            return out;
        }

        Map<String, ObjectEntry> committedTree(TarnEngine engine, String ref) {
            Map<String, ObjectEntry> out = new TreeMap<>();
            String after = null;
            while (true) {
                Page<ListItem> page = engine.listObjects(REPO, ref, "", "", after, 1000);
                for (ListItem item : page.items()) {
                    ObjectEntry e = (ObjectEntry) item;
                    out.put(e.path(), e);
                }
                if (!page.hasMore()) {
                    return out;
                }
                after = page.nextOffset();
            }
        }

        /** Every kept commit and every branch (with staging) lists as the model says, and each object reads back. */
        void verifyThroughEngine(TarnEngine engine, GcRules rules) throws IOException {
            for (String c : keptCommits(rules)) {
                compare(engine, c, commits.get(c).tree());
            }
            for (String b : heads.keySet()) {
                compare(engine, b, view(b));
            }
        }

        void compare(TarnEngine engine, String ref, Map<String, ObjectEntry> expected) throws IOException {
            Map<String, ObjectEntry> actual = committedTree(engine, ref);
            assertThat(actual.keySet()).as("paths at " + ref).isEqualTo(expected.keySet());
            for (ObjectEntry e : actual.values()) {
                assertThat(e.physicalAddress()).isEqualTo(expected.get(e.path()).physicalAddress());
                try (InputStream in = engine.readObject(REPO, e, null)) {
                    assertThat(Md5.hexOf(in.readAllBytes())).as(ref + " " + e.path()).isEqualTo(e.checksum());
                }
            }
        }

        void assertReport(StorageNamespace ns, GcReport report) throws IOException {
            String prefix = GarbageCollector.REPORT_PREFIX + report.runId() + "/";
            assertThat(blocks.stat(ns, prefix + "summary.json")).isPresent();
            String summary;
            try (InputStream in = blocks.get(ns, prefix + "summary.json", null)) {
                summary = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(summary).contains("\"objects\" : " + report.sweep().objects());
            List<String> lines;
            try (InputStream in = blocks.get(ns, prefix + "deleted.txt", null)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                lines = text.isEmpty() ? List.of() : List.of(text.split("\n"));
            }
            assertThat(lines).hasSize((int) report.sweep().deleted());
            for (String l : lines) {
                assertThat(blocks.stat(ns, l)).isEmpty();
            }
            int reports = 0;
            try (BlockList it = blocks.list(ns, GarbageCollector.REPORT_PREFIX)) {
                while (it.hasNext()) {
                    it.next();
                    reports++;
                }
            }
            assertThat(reports).as("a dry run and a run: two reports of two files").isEqualTo(4);
        }
    }

    static String md5(BlockStore blocks, StorageNamespace ns, String address) {
        try (InputStream in = blocks.get(ns, address, null)) {
            return Md5.hexOf(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
