package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.tarn.block.BlockStore;
import io.tarn.block.local.LocalBlockStore;
import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.codec.Bytes;
import io.tarn.error.DirtyBranchException;
import io.tarn.error.MergeConflictException;
import io.tarn.error.NotFoundException;
import io.tarn.error.NothingToCommitException;
import io.tarn.error.NothingToMergeException;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.ChangeType;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.CommonPrefix;
import io.tarn.engine.model.DiffType;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.MergeStrategy;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.ResetScope;
import io.tarn.engine.tree.Boundary;
import io.tarn.kv.KvBackend;
import io.tarn.kv.KvStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomized model-based test: random operations run against {@link TarnEngine} and against a
 * deliberately naive in-memory model (whole trees as sorted maps, commit graph as a map), comparing
 * every read, listing, diff, log and merge. Seeded: {@code -Dtarn.model.seed=} and
 * {@code -Dtarn.model.ops=} override; a failure names its seed and operation.
 */
class EngineModelTest extends EngineBackendTest {

    @TempDir
    Path tmp;

    /** What makes two entries the same entry. */
    record Ident(long size, String checksum, String contentType, Map<String, String> metadata) {
        static Ident of(ObjectEntry e) {
            return new Ident(e.size(), e.checksum(), e.contentType(), e.metadata());
        }
    }

    static final Comparator<String> ORDER = Bytes.UTF8_ORDER;

    static TreeMap<String, Ident> tree() {
        return new TreeMap<>(ORDER);
    }

    record MCommit(String id, List<String> parents, TreeMap<String, Ident> tree, long generation, long date) {}

    static final class MBranch {
        String head;
        /** path -> entry, or null value = tombstone. */
        TreeMap<String, Ident> staged = tree();
        Set<String> tombstones = new HashSet<>();

        MBranch(String head) {
            this.head = head;
        }
    }

    /** The naive reference model. */
    static final class Model {
        final Map<String, MCommit> commits = new HashMap<>();
        final Map<String, MBranch> branches = new TreeMap<>();
        final Map<String, String> tags = new TreeMap<>();
        String defaultBranch;

        TreeMap<String, Ident> view(String branch) {
            MBranch b = branches.get(branch);
            TreeMap<String, Ident> v = tree();
            v.putAll(commits.get(b.head).tree);
            for (String t : b.tombstones) {
                v.remove(t);
            }
            v.putAll(b.staged);
            return v;
        }

        /** Effective uncommitted changes: path -> [committed, staged view]. */
        TreeMap<String, Ident[]> uncommitted(String branch) {
            MBranch b = branches.get(branch);
            TreeMap<String, Ident> head = commits.get(b.head).tree;
            TreeMap<String, Ident[]> out = new TreeMap<>(ORDER);
            for (String p : b.tombstones) {
                if (head.containsKey(p)) {
                    out.put(p, new Ident[] {head.get(p), null});
                }
            }
            for (var e : b.staged.entrySet()) {
                if (!e.getValue().equals(head.get(e.getKey()))) {
                    out.put(e.getKey(), new Ident[] {head.get(e.getKey()), e.getValue()});
                }
            }
            return out;
        }

        Set<String> ancestors(String id) {
            Set<String> seen = new HashSet<>();
            List<String> stack = new ArrayList<>(List.of(id));
            while (!stack.isEmpty()) {
                String c = stack.remove(stack.size() - 1);
                if (seen.add(c)) {
                    stack.addAll(commits.get(c).parents);
                }
            }
            return seen;
        }

        Comparator<MCommit> newestFirst() {
            return Comparator.comparingLong(MCommit::generation).reversed()
                    .thenComparing(Comparator.comparingLong(MCommit::date).reversed())
                    .thenComparing(MCommit::id);
        }

        MCommit mergeBase(String a, String b) {
            Set<String> common = ancestors(a);
            common.retainAll(ancestors(b));
            return common.stream().map(commits::get).min(newestFirst()).orElse(null);
        }

        List<String> log(String head, boolean firstParent) {
            if (firstParent) {
                List<String> out = new ArrayList<>();
                for (String c = head; c != null; ) {
                    out.add(c);
                    List<String> ps = commits.get(c).parents;
                    c = ps.isEmpty() ? null : ps.get(0);
                }
                return out;
            }
            return ancestors(head).stream().map(commits::get).sorted(newestFirst()).map(MCommit::id).toList();
        }
    }

    /** A ref as both sides understand it. */
    record RefSpec(String ref, String commit, String overlayBranch) {}

    static final String REPO = "model-repo";

    @Test
    void randomOperationsMatchTheModel() {
        long seed = Long.getLong("tarn.model.seed", System.nanoTime());
        int ops = scaled(Integer.getInteger("tarn.model.ops", 2500));
        if (backend == KvBackend.ROCKSDB) {
            // RocksDB with object data and ranges in local files, as a single server runs
            run(seed, ops, newKv(), new LocalBlockStore(tmp.resolve("blocks")), new Boundary(4, 64, 1 << 20), "local://model");
        } else {
            run(seed, ops, newKv(), new MemoryBlockStore(), new Boundary(4, 64, 1 << 20));
        }
    }

    @Test
    void fixedSeedsWithLargerRanges() {
        for (long seed = 1; seed <= 3; seed++) {
            run(seed, scaled(600), newKv(), new MemoryBlockStore(), new Boundary(16, 256, 1 << 20));
        }
    }

    void run(long seed, int ops, KvStore kv, BlockStore blocks, Boundary boundary) {
        run(seed, ops, kv, blocks, boundary, "mem://model-" + seed);
    }

    void run(long seed, int ops, KvStore kv, BlockStore blocks, Boundary boundary, String namespace) {
        EngineConfig cfg = EngineConfig.defaults(tmp.resolve("cache-" + seed)).withBoundary(boundary);
        try (TarnEngine engine = new TarnEngine(kv, blocks, cfg)) {
            new Runner(seed, engine).run(ops, namespace);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("model test on " + backend + " failed with seed " + seed
                    + " (rerun with -Dtarn.model.seed=" + seed + "): " + e.getMessage(), e);
        }
    }

    static final class Runner {
        final long seed;
        final Random rnd;
        final TarnEngine engine;
        final Model model = new Model();
        final List<String> pathPool = new ArrayList<>();
        int step;
        String op = "";

        Runner(long seed, TarnEngine engine) {
            this.seed = seed;
            this.rnd = new Random(seed);
            this.engine = engine;
            String[] seg = {"a", "b", "c", "é", "日", "😀", "a-b", "z"};
            String[] sep = {"/", "/", "/", "--"};
            Set<String> paths = new HashSet<>();
            while (paths.size() < 60) {
                int depth = 1 + rnd.nextInt(3);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < depth; i++) {
                    if (i > 0) {
                        sb.append(sep[rnd.nextInt(sep.length)]);
                    }
                    sb.append(seg[rnd.nextInt(seg.length)]);
                }
                paths.add(sb.toString());
            }
            pathPool.addAll(paths);
            pathPool.sort(ORDER);
        }

        void run(int ops, String namespace) {
            var repo = engine.createRepository(REPO, namespace, "main");
            model.defaultBranch = "main";
            Commit initial = engine.getCommit(REPO, "main");
            model.commits.put(initial.id(), new MCommit(initial.id(), List.of(), tree(), 1, initial.creationDate()));
            model.branches.put("main", new MBranch(initial.id()));
            assertThat(repo.defaultBranch()).isEqualTo("main");
            for (step = 0; step < ops; step++) {
                try {
                    one();
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("step " + step + " (" + op + "): " + e.getMessage(), e);
                }
            }
            checkAll();
        }

        String anyBranch() {
            List<String> names = new ArrayList<>(model.branches.keySet());
            return names.get(rnd.nextInt(names.size()));
        }

        String anyPath() {
            return pathPool.get(rnd.nextInt(pathPool.size()));
        }

        Ident anyIdent() {
            int v = rnd.nextInt(6);
            String checksum = String.format("%032x", v % 3 + 1);
            return new Ident(v % 3 * 10L, checksum, v < 3 ? null : "text/plain",
                    rnd.nextInt(5) == 0 ? Map.of("k", "v" + (v % 2)) : Map.of());
        }

        RefSpec anyRef() {
            int kind = rnd.nextInt(7);
            String b = anyBranch();
            MBranch mb = model.branches.get(b);
            switch (kind) {
                case 0, 1:
                    return new RefSpec(b, mb.head, b);
                case 2:
                    return new RefSpec(b + (rnd.nextBoolean() ? "@" : ":HEAD"), mb.head, null);
                case 3: {
                    if (model.tags.isEmpty()) {
                        return new RefSpec(b, mb.head, b);
                    }
                    List<String> ts = new ArrayList<>(model.tags.keySet());
                    String t = ts.get(rnd.nextInt(ts.size()));
                    return new RefSpec(t, model.tags.get(t), null);
                }
                case 4: {
                    List<String> ps = model.commits.get(mb.head).parents;
                    if (ps.isEmpty()) {
                        return new RefSpec(b + "@", mb.head, null);
                    }
                    return new RefSpec(b + (rnd.nextBoolean() ? "~1" : ":HEAD~1"), ps.get(0), null);
                }
                case 5:
                    return new RefSpec(mb.head.substring(0, 10), mb.head, null);
                default:
                    return new RefSpec(mb.head, mb.head, null);
            }
        }

        TreeMap<String, Ident> viewOf(RefSpec r) {
            return r.overlayBranch() != null ? model.view(r.overlayBranch()) : model.commits.get(r.commit()).tree;
        }

        void one() {
            int dice = rnd.nextInt(100);
            if (dice < 30) {
                put();
            } else if (dice < 38) {
                delete();
            } else if (dice < 50) {
                commit();
            } else if (dice < 55) {
                createBranch();
            } else if (dice < 65) {
                merge();
            } else if (dice < 69) {
                reset();
            } else if (dice < 73) {
                revert();
            } else if (dice < 76) {
                tag();
            } else {
                read();
            }
        }

        void put() {
            String b = anyBranch();
            String p = anyPath();
            Ident id = anyIdent();
            op = "put " + b + " " + p;
            if (rnd.nextInt(4) == 0) {
                byte[] data = ("content-" + id.checksum()).getBytes(StandardCharsets.UTF_8);
                ObjectEntry e = engine.putObject(REPO, b, p, new ByteArrayInputStream(data), data.length,
                        id.contentType(), id.metadata());
                id = Ident.of(e);
                assertThat(e.size()).isEqualTo(data.length);
                try (var in = engine.readObject(REPO, e, null)) {
                    assertThat(in.readAllBytes()).isEqualTo(data);
                } catch (java.io.IOException ex) {
                    throw new RuntimeException(ex);
                }
            } else {
                engine.stageObject(REPO, b, new ObjectEntry(p, "data/x/" + step, id.size(), id.checksum(),
                        1000L + step, id.contentType(), id.metadata()));
            }
            MBranch mb = model.branches.get(b);
            mb.tombstones.remove(p);
            mb.staged.put(p, id);
            assertThat(Ident.of(engine.statObject(REPO, b, p))).isEqualTo(id);
        }

        void delete() {
            String b = anyBranch();
            String p = rnd.nextBoolean() && !model.view(b).isEmpty()
                    ? new ArrayList<>(model.view(b).keySet()).get(rnd.nextInt(model.view(b).size())) : anyPath();
            op = "delete " + b + " " + p;
            MBranch mb = model.branches.get(b);
            if (!model.view(b).containsKey(p)) {
                assertThatThrownBy(() -> engine.deleteObject(REPO, b, p)).isInstanceOf(NotFoundException.class);
                return;
            }
            engine.deleteObject(REPO, b, p);
            mb.staged.remove(p);
            mb.tombstones.add(p);
            assertThatThrownBy(() -> engine.statObject(REPO, b, p)).isInstanceOf(NotFoundException.class);
        }

        void commit() {
            String b = anyBranch();
            boolean allowEmpty = rnd.nextInt(8) == 0;
            op = "commit " + b + (allowEmpty ? " allowEmpty" : "");
            MBranch mb = model.branches.get(b);
            TreeMap<String, Ident[]> changes = model.uncommitted(b);
            CommitRequest req = new CommitRequest("commit " + step, "tester", Map.of("step", "" + step), allowEmpty);
            if (changes.isEmpty() && !allowEmpty) {
                assertThatThrownBy(() -> engine.commit(REPO, b, req)).isInstanceOf(NothingToCommitException.class);
                mb.staged.clear();
                mb.tombstones.clear();
                return;
            }
            Commit c = engine.commit(REPO, b, req);
            assertThat(c.parents()).containsExactly(mb.head);
            assertThat(c.message()).isEqualTo("commit " + step);
            assertThat(c.committer()).isEqualTo("tester");
            assertThat(c.metadata()).isEqualTo(Map.of("step", "" + step));
            assertThat(c.id()).hasSize(64);
            MCommit parent = model.commits.get(mb.head);
            assertThat(c.generation()).isEqualTo(parent.generation + 1);
            model.commits.put(c.id(), new MCommit(c.id(), List.of(mb.head), model.view(b), c.generation(), c.creationDate()));
            mb.head = c.id();
            mb.staged.clear();
            mb.tombstones.clear();
            assertThat(engine.diffBranch(REPO, b, null, 10).items()).isEmpty();
        }

        void createBranch() {
            if (model.branches.size() >= 6) {
                String b = anyBranch();
                op = "delete branch " + b;
                if (b.equals("main")) {
                    assertThatThrownBy(() -> engine.deleteBranch(REPO, b))
                            .isInstanceOf(io.tarn.error.DefaultBranchException.class);
                    return;
                }
                engine.deleteBranch(REPO, b);
                model.branches.remove(b);
                assertThatThrownBy(() -> engine.getBranch(REPO, b)).isInstanceOf(NotFoundException.class);
                return;
            }
            String name = "br" + step;
            RefSpec from = anyRef();
            op = "create branch " + name + " from " + from.ref();
            var br = engine.createBranch(REPO, name, from.ref());
            assertThat(br.commitId()).isEqualTo(from.commit());
            model.branches.put(name, new MBranch(from.commit()));
        }

        void merge() {
            String dest = anyBranch();
            RefSpec src = anyRef();
            MergeStrategy strategy = MergeStrategy.values()[rnd.nextInt(3)];
            op = "merge " + src.ref() + " into " + dest + " " + strategy;
            if (rnd.nextInt(3) > 0 && !model.uncommitted(dest).isEmpty()) {
                // mostly merge into clean branches: commit first
                commitQuietly(dest);
            }
            MBranch mb = model.branches.get(dest);
            MergeRequest req = new MergeRequest(null, "merger", Map.of(), strategy);
            if (!model.uncommitted(dest).isEmpty()) {
                assertThatThrownBy(() -> engine.merge(REPO, src.ref(), dest, req)).isInstanceOf(DirtyBranchException.class);
                return;
            }
            MCommit base = model.mergeBase(src.commit(), mb.head);
            if (base.id().equals(src.commit())) {
                assertThatThrownBy(() -> engine.merge(REPO, src.ref(), dest, req)).isInstanceOf(NothingToMergeException.class);
                return;
            }
            TreeMap<String, Ident> baseTree = base.tree;
            TreeMap<String, Ident> srcTree = model.commits.get(src.commit()).tree;
            TreeMap<String, Ident> dstTree = model.commits.get(mb.head).tree;
            TreeMap<String, Ident> result = tree();
            result.putAll(dstTree);
            List<String> conflicts = new ArrayList<>();
            long[] counts = new long[4];
            List<String> changed = new ArrayList<>();
            Set<String> keys = new java.util.TreeSet<>(ORDER);
            keys.addAll(baseTree.keySet());
            keys.addAll(srcTree.keySet());
            keys.addAll(dstTree.keySet());
            for (String k : keys) {
                Ident b0 = baseTree.get(k);
                Ident s = srcTree.get(k);
                Ident d = dstTree.get(k);
                if (Objects.equals(b0, s)) {
                    continue;
                }
                boolean conflict = !Objects.equals(b0, d) && !Objects.equals(s, d);
                if (Objects.equals(s, d)) {
                    continue;
                }
                if (conflict) {
                    conflicts.add(k);
                    if (strategy != MergeStrategy.SOURCE_WINS) {
                        if (strategy == MergeStrategy.DEST_WINS) {
                            counts[3]++;
                        }
                        continue;
                    }
                    counts[3]++;
                }
                if (s == null) {
                    result.remove(k);
                    counts[1]++;
                } else {
                    result.put(k, s);
                    counts[d == null ? 0 : 2]++;
                }
                changed.add(k);
            }
            if (strategy == MergeStrategy.NONE && !conflicts.isEmpty()) {
                try {
                    engine.merge(REPO, src.ref(), dest, req);
                    fail("expected a merge conflict on " + conflicts);
                } catch (MergeConflictException e) {
                    assertThat(e.paths()).isEqualTo(conflicts);
                    assertThat(e.total()).isEqualTo(conflicts.size());
                }
                return;
            }
            MergeResult r = engine.merge(REPO, src.ref(), dest, req);
            assertThat(r.commit().parents()).containsExactly(mb.head, src.commit());
            assertThat(r.commit().message()).isEqualTo("Merge '" + src.ref() + "' into '" + dest + "'");
            assertThat(r.summary().added()).as("added").isEqualTo(counts[0]);
            assertThat(r.summary().removed()).as("removed").isEqualTo(counts[1]);
            assertThat(r.summary().changed()).as("changed").isEqualTo(counts[2]);
            assertThat(r.summary().conflict()).as("conflict").isEqualTo(counts[3]);
            assertThat(r.changes().stream().map(Change::path).toList()).isEqualTo(changed);
            for (Change c : r.changes()) {
                if (c.type() == ChangeType.REMOVED) {
                    assertThat(Ident.of(c.entry())).isEqualTo(dstTree.get(c.path()));
                } else {
                    assertThat(Ident.of(c.entry())).isEqualTo(result.get(c.path()));
                }
            }
            MCommit d = model.commits.get(mb.head);
            MCommit s = model.commits.get(src.commit());
            assertThat(r.commit().generation()).isEqualTo(Math.max(d.generation, s.generation) + 1);
            model.commits.put(r.commit().id(), new MCommit(r.commit().id(), List.of(mb.head, src.commit()), result,
                    r.commit().generation(), r.commit().creationDate()));
            mb.head = r.commit().id();
            checkListing(new RefSpec(dest + "@", mb.head, null), "", "", 1000);
        }

        void commitQuietly(String b) {
            MBranch mb = model.branches.get(b);
            try {
                Commit c = engine.commit(REPO, b, new CommitRequest("auto " + step, "t", Map.of(), false));
                model.commits.put(c.id(), new MCommit(c.id(), List.of(mb.head), model.view(b), c.generation(), c.creationDate()));
                mb.head = c.id();
            } catch (NothingToCommitException e) {
                assertThat(model.uncommitted(b)).isEmpty();
            }
            mb.staged.clear();
            mb.tombstones.clear();
        }

        void reset() {
            String b = anyBranch();
            MBranch mb = model.branches.get(b);
            int kind = rnd.nextInt(3);
            if (kind == 0) {
                op = "reset all " + b;
                engine.reset(REPO, b, new ResetScope.All());
                mb.staged.clear();
                mb.tombstones.clear();
            } else if (kind == 1) {
                String p = anyPath();
                op = "reset path " + b + " " + p;
                engine.reset(REPO, b, new ResetScope.Path(p));
                mb.staged.remove(p);
                mb.tombstones.remove(p);
            } else {
                String any = anyPath();
                String pre = any.substring(0, Character.charCount(any.codePointAt(0)));
                op = "reset prefix " + b + " " + pre;
                engine.reset(REPO, b, new ResetScope.Prefix(pre));
                mb.staged.keySet().removeIf(k -> k.startsWith(pre));
                mb.tombstones.removeIf(k -> k.startsWith(pre));
            }
            checkDiffBranch(b);
        }

        void revert() {
            String b = anyBranch();
            MBranch mb = model.branches.get(b);
            List<String> history = model.log(mb.head, true);
            if (history.size() < 2) {
                return;
            }
            String target = history.get(rnd.nextInt(history.size() - 1));
            MCommit t = model.commits.get(target);
            op = "revert " + target.substring(0, 8) + " on " + b;
            if (!model.uncommitted(b).isEmpty()) {
                commitQuietly(b);
            }
            TreeMap<String, Ident> base = t.tree;
            TreeMap<String, Ident> src = model.commits.get(t.parents.get(0)).tree;
            TreeMap<String, Ident> dst = model.commits.get(mb.head).tree;
            TreeMap<String, Ident> result = tree();
            result.putAll(dst);
            List<String> conflicts = new ArrayList<>();
            int applied = 0;
            Set<String> keys = new java.util.TreeSet<>(ORDER);
            keys.addAll(base.keySet());
            keys.addAll(src.keySet());
            for (String k : keys) {
                Ident b0 = base.get(k);
                Ident s = src.get(k);
                Ident d = dst.get(k);
                if (Objects.equals(b0, s) || Objects.equals(s, d)) {
                    continue;
                }
                if (!Objects.equals(b0, d)) {
                    conflicts.add(k);
                    continue;
                }
                applied++;
                if (s == null) {
                    result.remove(k);
                } else {
                    result.put(k, s);
                }
            }
            CommitRequest req = new CommitRequest(null, "reverter", Map.of(), false);
            if (!conflicts.isEmpty()) {
                try {
                    engine.revert(REPO, b, target, 1, req);
                    fail("expected conflicts " + conflicts);
                } catch (MergeConflictException e) {
                    assertThat(e.paths()).isEqualTo(conflicts);
                }
                return;
            }
            if (applied == 0) {
                assertThatThrownBy(() -> engine.revert(REPO, b, target, 1, req)).isInstanceOf(NothingToCommitException.class);
                return;
            }
            Commit c = engine.revert(REPO, b, target, 1, req);
            assertThat(c.parents()).containsExactly(mb.head);
            assertThat(c.message()).isEqualTo("Revert " + target);
            model.commits.put(c.id(), new MCommit(c.id(), List.of(mb.head), result, c.generation(), c.creationDate()));
            mb.head = c.id();
        }

        void tag() {
            if (!model.tags.isEmpty() && rnd.nextInt(3) == 0) {
                String t = new ArrayList<>(model.tags.keySet()).get(rnd.nextInt(model.tags.size()));
                op = "delete tag " + t;
                engine.deleteTag(REPO, t);
                model.tags.remove(t);
                assertThatThrownBy(() -> engine.getTag(REPO, t)).isInstanceOf(NotFoundException.class);
                return;
            }
            RefSpec r = anyRef();
            String name = "t" + step;
            op = "tag " + name + " at " + r.ref();
            assertThat(engine.createTag(REPO, name, r.ref()).commitId()).isEqualTo(r.commit());
            model.tags.put(name, r.commit());
        }

        void read() {
            int kind = rnd.nextInt(6);
            RefSpec r = anyRef();
            switch (kind) {
                case 0 -> {
                    String p = anyPath();
                    op = "stat " + r.ref() + " " + p;
                    Ident expected = viewOf(r).get(p);
                    if (expected == null) {
                        assertThatThrownBy(() -> engine.statObject(REPO, r.ref(), p)).isInstanceOf(NotFoundException.class);
                    } else {
                        ObjectEntry e = engine.statObject(REPO, r.ref(), p);
                        assertThat(e.path()).isEqualTo(p);
                        assertThat(Ident.of(e)).isEqualTo(expected);
                    }
                }
                case 1 -> {
                    String[] prefixes = {"", "a", "a/", "é", "b/", "a-", "z/", "日/"};
                    String[] delims = {"", "/", "--", "-"};
                    String pre = prefixes[rnd.nextInt(prefixes.length)];
                    String del = delims[rnd.nextInt(delims.length)];
                    op = "list " + r.ref() + " prefix=" + pre + " delim=" + del;
                    checkListing(r, pre, del, 1 + rnd.nextInt(7));
                }
                case 2 -> {
                    String b = anyBranch();
                    op = "diff branch " + b;
                    checkDiffBranch(b);
                }
                case 3 -> {
                    RefSpec right = anyRef();
                    DiffType type = rnd.nextBoolean() ? DiffType.TWO_DOT : DiffType.THREE_DOT;
                    op = "diff refs " + r.ref() + " " + right.ref() + " " + type;
                    checkDiffRefs(r, right, type, 1 + rnd.nextInt(6));
                }
                case 4 -> {
                    boolean fp = rnd.nextBoolean();
                    op = "log " + r.ref() + " fp=" + fp;
                    List<String> expected = model.log(r.commit(), fp);
                    List<String> got = new ArrayList<>();
                    String after = null;
                    int amount = 1 + rnd.nextInt(5);
                    while (true) {
                        Page<Commit> page = engine.log(REPO, r.ref(), fp, after, amount);
                        page.items().forEach(c -> got.add(c.id()));
                        if (!page.hasMore()) {
                            break;
                        }
                        after = page.nextOffset();
                    }
                    assertThat(got).isEqualTo(expected);
                }
                default -> {
                    op = "get commit " + r.ref();
                    assertThat(engine.getCommit(REPO, r.ref()).id()).isEqualTo(r.commit());
                }
            }
        }

        void checkListing(RefSpec r, String pre, String del, int amount) {
            List<String> expected = new ArrayList<>();
            Map<String, Ident> expectedEntries = new HashMap<>();
            String lastPrefix = null;
            for (var e : viewOf(r).entrySet()) {
                String k = e.getKey();
                if (!k.startsWith(pre)) {
                    continue;
                }
                int idx = del.isEmpty() ? -1 : k.indexOf(del, pre.length());
                if (idx >= 0) {
                    String cp = k.substring(0, idx + del.length());
                    if (!cp.equals(lastPrefix)) {
                        expected.add("P:" + cp);
                        lastPrefix = cp;
                    }
                } else {
                    expected.add("O:" + k);
                    expectedEntries.put(k, e.getValue());
                }
            }
            // the engine lists in byte order of the item path: sort the same way (prefixes sort by path too)
            expected.sort(Comparator.comparing((String s) -> s.substring(2), ORDER));
            List<String> got = new ArrayList<>();
            String after = null;
            int guard = 0;
            while (true) {
                Page<ListItem> page = engine.listObjects(REPO, r.ref(), pre, del, after, amount);
                for (ListItem it : page.items()) {
                    if (it instanceof CommonPrefix cp) {
                        got.add("P:" + cp.path());
                    } else {
                        ObjectEntry oe = (ObjectEntry) it;
                        got.add("O:" + oe.path());
                        assertThat(Ident.of(oe)).as(oe.path()).isEqualTo(expectedEntries.get(oe.path()));
                    }
                }
                assertThat(page.items().size()).isLessThanOrEqualTo(amount);
                if (!page.hasMore()) {
                    break;
                }
                assertThat(page.items()).hasSize(amount);
                after = page.nextOffset();
                assertThat(++guard).isLessThan(1000);
            }
            assertThat(got).isEqualTo(expected);
        }

        void checkDiffBranch(String b) {
            TreeMap<String, Ident[]> expected = model.uncommitted(b);
            List<String> exp = new ArrayList<>();
            for (var e : expected.entrySet()) {
                Ident before = e.getValue()[0];
                Ident after = e.getValue()[1];
                ChangeType t = before == null ? ChangeType.ADDED : after == null ? ChangeType.REMOVED : ChangeType.CHANGED;
                exp.add(t + " " + e.getKey() + " " + (after != null ? after : before));
            }
            List<String> got = collect(after -> engine.diffBranch(REPO, b, after, 3));
            assertThat(got).isEqualTo(exp);
        }

        /** diffRefs compares commits: a bare branch means its head, its uncommitted changes left out. */
        void checkDiffRefs(RefSpec left, RefSpec right, DiffType type, int amount) {
            TreeMap<String, Ident> l = model.commits.get(left.commit()).tree;
            TreeMap<String, Ident> before = type == DiffType.TWO_DOT ? model.commits.get(right.commit()).tree
                    : model.mergeBase(left.commit(), right.commit()).tree;
            Set<String> keys = new java.util.TreeSet<>(ORDER);
            keys.addAll(l.keySet());
            keys.addAll(before.keySet());
            List<String> exp = new ArrayList<>();
            for (String k : keys) {
                Ident a = l.get(k);
                Ident b = before.get(k);
                if (Objects.equals(a, b)) {
                    continue;
                }
                ChangeType t = b == null ? ChangeType.ADDED : a == null ? ChangeType.REMOVED : ChangeType.CHANGED;
                exp.add(t + " " + k + " " + (a != null ? a : b));
            }
            List<String> got = collect(after -> engine.diffRefs(REPO, left.ref(), right.ref(), type, after, amount));
            assertThat(got).isEqualTo(exp);
        }

        List<String> collect(java.util.function.Function<String, Page<Change>> pager) {
            List<String> got = new ArrayList<>();
            String after = null;
            while (true) {
                Page<Change> page = pager.apply(after);
                for (Change c : page.items()) {
                    got.add(c.type() + " " + c.path() + " " + Ident.of(c.entry()));
                }
                if (!page.hasMore()) {
                    return got;
                }
                after = page.nextOffset();
            }
        }

        void checkAll() {
            op = "final check";
            for (String b : model.branches.keySet()) {
                checkListing(new RefSpec(b, model.branches.get(b).head, b), "", "", 1000);
                checkListing(new RefSpec(b + "@", model.branches.get(b).head, null), "", "/", 1000);
                checkDiffBranch(b);
            }
        }

        @SuppressWarnings("unused")
        static <T> T unused(Supplier<T> s) {
            return s.get();
        }
    }
}
