package io.tarn.bench;

import io.tarn.engine.Engine;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.DiffType;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * In-process engine scenarios for bench/run. Each subcommand prints one {@code BENCH_JSON {...}} line.
 *
 * <pre>
 * commit    --data DIR --entries FILE [--repo R]                stage every entry, then commit
 * diffmerge --data DIR --entries FILE --changes DIR --runs R    diff and merge of K changes on N entries
 * seed      --data DIR --read FILE --files DIR --list FILE      repositories for the HTTP scenarios
 * gc        --data DIR --objects N --commits C --branches B --garbage PCT   garbage collection of a seeded repository
 * commits   --data DIR --entries N --repos R --rounds K       commits of N staged, of 10 changes, merges (bench/commits)
 * </pre>
 * Entry files hold one {@code md5hex TAB path} per line; change files {@code A|C|R TAB md5hex TAB path}.
 */
public final class Harness {
    static final long SIZE = 4096;
    static final long MTIME = 1_764_000_000_000L;
    static final String CONTENT_TYPE = "application/octet-stream";

    private Harness() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            throw new IllegalArgumentException("usage: Harness commit|diffmerge|seed --name value ...");
        }
        Args args = new Args(argv, 1);
        switch (argv[0]) {
            case "commit" -> commit(args);
            case "diffmerge" -> diffMerge(args);
            case "seed" -> seed(args);
            case "gc" -> GcBench.run(args);
            case "commits" -> CommitsBench.run(args);
            default -> throw new IllegalArgumentException("unknown subcommand " + argv[0]);
        }
        // RocksDB and engine threads must not keep the JVM alive after the figures are printed.
        System.exit(0);
    }

    static ObjectEntry entry(String path, String checksum, long n) {
        return new ObjectEntry(path, "data/bench/" + Long.toHexString(n), SIZE, checksum, MTIME,
                CONTENT_TYPE, Map.of());
    }

    /** Stages every line of the entries file on branch main; returns the number staged. */
    static long stageAll(Engine engine, String repo, String branch, Path entries) throws IOException {
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(entries, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                int tab = line.indexOf('\t');
                String path = line.substring(tab + 1);
                engine.stageObject(repo, branch, entry(path, line.substring(0, tab), n++));
            }
        }
        return n;
    }

    static CommitRequest commitRequest(String message) {
        return new CommitRequest(message, "bench", Map.of(), false);
    }

    // ---- commit: stage N entries, commit them ----

    static void commit(Args args) throws Exception {
        String repo = args.get("repo", "bench-commit");
        long rssStart = Out.procStatusBytes("VmRSS");
        try (Bench b = new Bench(args.path("data"), true)) {
            b.engine.createRepository(repo, Bench.namespace(repo), "main");
            long rssIdle = Out.procStatusBytes("VmRSS");
            long t0 = System.nanoTime();
            long n = stageAll(b.engine, repo, "main", args.path("entries"));
            long t1 = System.nanoTime();
            Commit c = b.engine.commit(repo, "main", commitRequest("bench: " + n + " entries"));
            long t2 = System.nanoTime();
            long peak = Out.procStatusBytes("VmHWM");
            long rssEnd = Out.procStatusBytes("VmRSS");
            Out out = new Out();
            String lookups = args.get("lookups", null);
            if (lookups != null) {
                List<String> paths = Files.readAllLines(Path.of(lookups), StandardCharsets.UTF_8);
                out.put("stat_commit", statLatencies(b.engine, repo, c.id(), paths));
                out.put("stat_branch", statLatencies(b.engine, repo, "main", paths));
            }
            out
                    .put("entries", n)
                    .put("stage_seconds", (t1 - t0) / 1e9)
                    .put("stage_per_second", n / ((t1 - t0) / 1e9))
                    .put("commit_seconds", (t2 - t1) / 1e9)
                    .put("commit_id", c.id())
                    .put("rss_start_bytes", rssStart)
                    .put("rss_idle_bytes", rssIdle)
                    .put("rss_end_bytes", rssEnd)
                    .put("peak_rss_bytes", peak)
                    .put("heap_max_bytes", Runtime.getRuntime().maxMemory())
                    .print();
        }
    }

    /**
     * statObject of every listed path at {@code ref}, one thread, after a warm-up pass over the first
     * tenth: mean, p50 and p99 in microseconds.
     */
    static Map<String, Object> statLatencies(Engine engine, String repo, String ref, List<String> paths) {
        int warm = Math.max(1, paths.size() / 10);
        for (int i = 0; i < warm; i++) {
            engine.statObject(repo, ref, paths.get(i));
        }
        long[] ns = new long[paths.size()];
        long t0 = System.nanoTime();
        for (int i = 0; i < paths.size(); i++) {
            long s = System.nanoTime();
            ObjectEntry e = engine.statObject(repo, ref, paths.get(i));
            ns[i] = System.nanoTime() - s;
            if (!e.path().equals(paths.get(i))) {
                throw new IllegalStateException("stat of " + paths.get(i) + " answered " + e.path());
            }
        }
        long total = System.nanoTime() - t0;
        java.util.Arrays.sort(ns);
        return Map.of("count", paths.size(), "mean_us", total / 1e3 / paths.size(),
                "p50_us", ns[ns.length / 2] / 1e3, "p99_us", ns[(int) (ns.length * 0.99)] / 1e3);
    }

    // ---- diff-merge: K changes on each side of a base of N entries ----

    record ChangeLine(char kind, String checksum, String path) {}

    static List<ChangeLine> readChanges(Path file) throws IOException {
        List<ChangeLine> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", 3);
            out.add(new ChangeLine(f[0].charAt(0), f[1], f[2]));
        }
        return out;
    }

    static void applyChanges(Engine engine, String repo, String branch, List<ChangeLine> changes) {
        long n = 0;
        for (ChangeLine c : changes) {
            if (c.kind() == 'R') {
                engine.deleteObject(repo, branch, c.path());
            } else {
                engine.stageObject(repo, branch, entry(c.path(), c.checksum(), 1_000_000_000L + n++));
            }
        }
    }

    static void diffMerge(Args args) throws Exception {
        String repo = "bench-diff";
        int runs = args.integer("runs", 3);
        Path changesDir = args.path("changes");
        try (Bench b = new Bench(args.path("data"), true)) {
            Engine e = b.engine;
            e.createRepository(repo, Bench.namespace(repo), "main");
            long t0 = System.nanoTime();
            long n = stageAll(e, repo, "main", args.path("entries"));
            Commit base = e.commit(repo, "main", commitRequest("base"));
            double setupSeconds = (System.nanoTime() - t0) / 1e9;
            List<Double> diffMs = new ArrayList<>();
            List<Double> mergeMs = new ArrayList<>();
            List<Double> commitMs = new ArrayList<>();
            List<Long> diffCounts = new ArrayList<>();
            List<Long> mergeCounts = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                String src = "src" + r;
                String dst = "dst" + r;
                e.createBranch(repo, src, base.id());
                e.createBranch(repo, dst, base.id());
                applyChanges(e, repo, src, readChanges(changesDir.resolve("r" + r + "-src.txt")));
                applyChanges(e, repo, dst, readChanges(changesDir.resolve("r" + r + "-dst.txt")));
                long c0 = System.nanoTime();
                Commit srcCommit = e.commit(repo, src, commitRequest("changes " + r));
                commitMs.add((System.nanoTime() - c0) / 1e6);
                e.commit(repo, dst, commitRequest("other changes " + r));

                long d0 = System.nanoTime();
                long count = 0;
                String after = null;
                while (true) {
                    Page<Change> page = e.diffRefs(repo, srcCommit.id(), base.id(), DiffType.TWO_DOT, after, 1000);
                    count += page.items().size();
                    if (!page.hasMore()) {
                        break;
                    }
                    after = page.nextOffset();
                }
                diffMs.add((System.nanoTime() - d0) / 1e6);
                diffCounts.add(count);

                long m0 = System.nanoTime();
                MergeResult m = e.merge(repo, src, dst, new MergeRequest(null, "bench", Map.of(), null));
                mergeMs.add((System.nanoTime() - m0) / 1e6);
                mergeCounts.add(m.summary().added() + m.summary().removed() + m.summary().changed());
            }
            new Out()
                    .put("entries", n)
                    .put("setup_seconds", setupSeconds)
                    .put("diff_ms", diffMs)
                    .put("diff_changes", diffCounts)
                    .put("merge_ms", mergeMs)
                    .put("merge_changes", mergeCounts)
                    .put("commit_k_ms", commitMs)
                    .put("peak_rss_bytes", Out.procStatusBytes("VmHWM"))
                    .print();
        }
    }

    // ---- seed: repositories served by the HTTP scenarios ----

    /** The 4 KiB content of a read-scenario object: pseudo-random bytes derived from its index. */
    static byte[] content(long index) {
        byte[] data = new byte[(int) SIZE];
        new SplittableRandom(0x7a41L * 31 + index).nextBytes(data);
        return data;
    }

    static void seed(Args args) throws Exception {
        Path files = args.path("files");
        // seeding is set-up, not a measurement: no fsync per object
        try (Bench b = new Bench(args.path("data"), false)) {
            Engine e = b.engine;
            // read: real 4 KiB objects, committed; the same bytes as plain files for nginx
            e.createRepository("bench-read", Bench.namespace("bench-read"), "main");
            long t0 = System.nanoTime();
            long n = 0;
            try (BufferedReader in = Files.newBufferedReader(args.path("read"), StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    String path = line.substring(line.indexOf('\t') + 1);
                    byte[] data = content(n++);
                    e.putObject("bench-read", "main", path, new ByteArrayInputStream(data), data.length,
                            CONTENT_TYPE, Map.of());
                    Path f = files.resolve(path);
                    Files.createDirectories(f.getParent());
                    Files.write(f, data);
                }
            }
            Commit read = e.commit("bench-read", "main", commitRequest("read objects"));
            double readSeconds = (System.nanoTime() - t0) / 1e9;
            // list: N metadata entries, committed
            e.createRepository("bench-list", Bench.namespace("bench-list"), "main");
            long t1 = System.nanoTime();
            long listed = stageAll(e, "bench-list", "main", args.path("list"));
            Commit list = e.commit("bench-list", "main", commitRequest("list entries"));
            double listSeconds = (System.nanoTime() - t1) / 1e9;
            // write and branch: empty repositories with one commit
            e.createRepository("bench-write", Bench.namespace("bench-write"), "main");
            e.createRepository("bench-branch", Bench.namespace("bench-branch"), "main");
            new Out()
                    .put("read_objects", n)
                    .put("read_commit", read.id())
                    .put("read_seed_seconds", readSeconds)
                    .put("list_entries", listed)
                    .put("list_commit", list.id())
                    .put("list_seed_seconds", listSeconds)
                    .print();
        }
    }
}
