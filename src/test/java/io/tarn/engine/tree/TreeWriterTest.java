package io.tarn.engine.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.StorageNamespace;
import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.EntryCodec;
import io.tarn.engine.model.ObjectEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeWriterTest {

    @TempDir
    Path tmp;

    final MemoryBlockStore blocks = new MemoryBlockStore();
    final StorageNamespace ns = blocks.namespace("mem://trees");

    CommittedTrees trees(String cache, Boundary b, long memory) {
        return new CommittedTrees(blocks, tmp.resolve(cache), 1L << 30, memory, b);
    }

    static byte[] key(int i) {
        return Bytes.utf8(String.format("k/%08d", i));
    }

    static byte[] value(int i, int version) {
        return EntryCodec.encode(new ObjectEntry("ignored", "data/" + i + "/" + version, i, "sum" + version, 1, null, Map.of()));
    }

    static List<Record> records(TreeMap<String, byte[]> m) {
        List<Record> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(new Record(Bytes.utf8(k), v)));
        return out;
    }

    TreeMap<String, byte[]> readAll(CommittedTrees t, TreeIndex tree) {
        TreeMap<String, byte[]> out = new TreeMap<>(Bytes.UTF8_ORDER);
        TreeCursor c = t.cursor(ns, tree);
        c.seek(Bytes.EMPTY);
        byte[] last = null;
        while (c.hasNext()) {
            if (last != null) {
                assertThat(Bytes.compare(last, c.peekKey())).isNegative();
            }
            last = c.peekKey();
            out.put(Bytes.string(c.peekKey()), c.peekValue());
            c.advance();
        }
        return out;
    }

    @Test
    void randomChangeStreamsProduceExactlyTheModelAndReuseUntouchedRanges() {
        Random rnd = new Random(42);
        for (Boundary b : List.of(new Boundary(4, 16, 1 << 20), new Boundary(32, 40, 1 << 20), new Boundary(64, 1024, 2000))) {
            try (CommittedTrees t = trees("c" + b.targetEntries(), b, 1L << 30)) {
                TreeMap<String, byte[]> model = new TreeMap<>(Bytes.UTF8_ORDER);
                String treeId = TreeIndex.EMPTY_ID;
                for (int round = 0; round < 30; round++) {
                    TreeMap<String, byte[]> changes = new TreeMap<>(Bytes.UTF8_ORDER);
                    int n = round == 0 ? 3000 : rnd.nextInt(20);
                    for (int i = 0; i < n; i++) {
                        int k = rnd.nextInt(4000);
                        changes.put(Bytes.string(key(k)), rnd.nextInt(4) == 0 ? null : value(k, rnd.nextInt(3)));
                    }
                    long expectChanged = changes.entrySet().stream()
                            .filter(e -> !EntryCodec.sameIdentity(model.get(e.getKey()), e.getValue())).count();
                    TreeIndex before = t.tree(ns, treeId);
                    TreeWriter.Result r = t.apply(ns, treeId, records(changes).iterator());
                    changes.forEach((k, v) -> {
                        if (v == null) {
                            model.remove(k);
                        } else if (!EntryCodec.sameIdentity(model.get(k), v)) {
                            model.put(k, v);
                        }
                    });
                    assertThat(r.changed()).isEqualTo(expectChanged);
                    TreeMap<String, byte[]> got = readAll(t, r.tree());
                    assertThat(got.keySet()).containsExactlyElementsOf(model.keySet());
                    got.forEach((k, v) -> assertThat(v).isEqualTo(model.get(k)));
                    assertThat(r.tree().entryCount()).isEqualTo(model.size());
                    if (round > 0 && before.ranges().size() > 20) {
                        Set<String> old = new HashSet<>();
                        before.ranges().forEach(x -> old.add(x.id()));
                        long fresh = r.tree().ranges().stream().filter(x -> !old.contains(x.id())).count();
                        assertThat(fresh).as("new ranges for %d changes", n).isLessThanOrEqualTo(3L * n + 3);
                    }
                    // point reads agree, including absent keys in gaps
                    for (int i = 0; i < 50; i++) {
                        byte[] k = key(rnd.nextInt(4100));
                        assertThat(t.get(ns, r.tree(), k)).isEqualTo(model.get(Bytes.string(k)));
                    }
                    treeId = r.treeId();
                }
            }
        }
    }

    @Test
    void identicalRewriteGivesTheSameTreeAndNoChange() {
        try (CommittedTrees t = trees("same", new Boundary(8, 64, 1 << 20), 1L << 30)) {
            TreeMap<String, byte[]> m = new TreeMap<>(Bytes.UTF8_ORDER);
            for (int i = 0; i < 500; i++) {
                m.put(Bytes.string(key(i)), value(i, 0));
            }
            TreeWriter.Result a = t.apply(ns, TreeIndex.EMPTY_ID, records(m).iterator());
            TreeMap<String, byte[]> again = new TreeMap<>(Bytes.UTF8_ORDER);
            for (int i = 0; i < 500; i += 7) {
                // same identity, other address and mtime
                again.put(Bytes.string(key(i)), EntryCodec.encode(new ObjectEntry("x", "elsewhere", i, "sum0", 99, null, Map.of())));
            }
            TreeWriter.Result b = t.apply(ns, a.treeId(), records(again).iterator());
            assertThat(b.changed()).isZero();
            assertThat(b.treeId()).isEqualTo(a.treeId());
            // the same content written from scratch cuts into the same ranges
            TreeWriter.Result c = t.apply(ns, TreeIndex.EMPTY_ID, records(m).iterator());
            assertThat(c.treeId()).isEqualTo(a.treeId());
        }
    }

    @Test
    void diffSkipsEqualRangesAndMatchesANaiveDiff() {
        Random rnd = new Random(7);
        try (CommittedTrees t = trees("diff", new Boundary(16, 256, 1 << 20), 1L << 30)) {
            TreeMap<String, byte[]> m = new TreeMap<>(Bytes.UTF8_ORDER);
            for (int i = 0; i < 20_000; i++) {
                m.put(Bytes.string(key(i * 2)), value(i * 2, 0));
            }
            TreeWriter.Result base = t.apply(ns, TreeIndex.EMPTY_ID, records(m).iterator());
            TreeMap<String, byte[]> changes = new TreeMap<>(Bytes.UTF8_ORDER);
            for (int i = 0; i < 10; i++) {
                int k = rnd.nextInt(40_000);
                changes.put(Bytes.string(key(k)), k % 3 == 0 ? null : value(k, 1));
            }
            TreeWriter.Result next = t.apply(ns, base.treeId(), records(changes).iterator());
            TreeMap<String, byte[]> after = readAll(t, next.tree());
            List<String> expected = new ArrayList<>();
            Set<String> keys = new java.util.TreeSet<>(Bytes.UTF8_ORDER);
            keys.addAll(m.keySet());
            keys.addAll(after.keySet());
            for (String k : keys) {
                if (!EntryCodec.sameIdentity(m.get(k), after.get(k))) {
                    expected.add(k);
                }
            }
            long read0 = t.ranges().rangesRead();
            List<String> got = new ArrayList<>();
            t.diff(ns, base.tree(), next.tree(), null).forEachRemaining(d -> {
                assertThat(d.before()).isEqualTo(m.get(Bytes.string(d.key())));
                assertThat(d.after()).isEqualTo(after.get(Bytes.string(d.key())));
                got.add(Bytes.string(d.key()));
            });
            long reads = t.ranges().rangesRead() - read0;
            assertThat(got).isEqualTo(expected);
            assertThat(base.tree().ranges().size()).isGreaterThan(500);
            assertThat(reads).isLessThanOrEqualTo(4L * expected.size() + 4);
            // resuming after a key gives the tail
            if (expected.size() > 2) {
                List<String> tail = new ArrayList<>();
                t.diff(ns, base.tree(), next.tree(), Bytes.utf8(expected.get(1))).forEachRemaining(d -> tail.add(Bytes.string(d.key())));
                assertThat(tail).isEqualTo(expected.subList(2, expected.size()));
            }
            // reversed direction
            List<String> back = new ArrayList<>();
            t.diff(ns, next.tree(), base.tree(), null).forEachRemaining(d -> back.add(Bytes.string(d.key())));
            assertThat(back).isEqualTo(expected);
        }
    }

    @Test
    void aFreshCacheDownloadsRangesFromTheBlockStoreAndATinyMemoryBudgetStillWorks() {
        TreeMap<String, byte[]> m = new TreeMap<>(Bytes.UTF8_ORDER);
        for (int i = 0; i < 3000; i++) {
            m.put(Bytes.string(key(i)), value(i, 0));
        }
        String id;
        try (CommittedTrees t = trees("first", new Boundary(32, 256, 1 << 20), 1L << 30)) {
            id = t.apply(ns, TreeIndex.EMPTY_ID, records(m).iterator()).treeId();
        }
        try (CommittedTrees t = new CommittedTrees(blocks, tmp.resolve("second"), 50_000, 10_000, new Boundary(32, 256, 1 << 20))) {
            TreeIndex tree = t.tree(ns, id);
            TreeMap<String, byte[]> got = readAll(t, tree);
            assertThat(got.keySet()).containsExactlyElementsOf(m.keySet());
            assertThat(t.ranges().rangesDownloaded()).isGreaterThanOrEqualTo(tree.ranges().size());
            for (int i = 0; i < 3000; i += 97) {
                assertThat(t.get(ns, tree, key(i))).isEqualTo(m.get(Bytes.string(key(i))));
            }
        }
    }

    @Test
    void boundariesDependOnlyOnKeys() {
        Boundary b = new Boundary(64, 1 << 16, 1L << 30);
        int cuts = 0;
        for (int i = 0; i < 64_000; i++) {
            if (b.isBoundaryKey(key(i))) {
                cuts++;
            }
            assertThat(b.isBoundaryKey(key(i))).isEqualTo(b.isBoundaryKey(key(i).clone()));
        }
        assertThat(cuts).isBetween(800, 1200);
        assertThat(Objects.hash(1)).isNotZero();
    }
}
