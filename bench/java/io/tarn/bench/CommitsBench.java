package io.tarn.bench;

import io.tarn.engine.Engine;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeStrategy;
import io.tarn.engine.model.ObjectEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The commit rows of the performance table, in-process, for bench/commits: {@code --repos R}
 * repositories of {@code --entries N} staged entries each (staged on stores that do not sync, which is
 * not measured), then, on the stores as the server opens them (synced unless -Dtarn.bench.sync=false),
 * the commit of each repository's N entries, {@code --rounds K} commits of 10 changes on the last one,
 * and K merges of 10 + 10 changes there (two branches from main, each committed, one merged into the
 * other). Prints the milliseconds of every commit and merge, and the process's CPU milliseconds per
 * commit of N, per commit of 10 and per merge (all threads; averages), in a {@code BENCH_JSON} line.
 */
final class CommitsBench {

    private CommitsBench() {}

    private static ObjectEntry entry(String path, long n) {
        return Harness.entry(path, String.format("%032x", n * 0x9E3779B97F4A7C15L >>> 1), n);
    }

    private static String path(int i) {
        // spread over the key space like the table's uploads: each batch of changes touches several ranges
        return String.format("n/%08d/o%d.bin", (i * 7919L) % 100_000_000L, i);
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    /** CPU time of the whole process so far (every thread: the range writers, RocksDB's), in ms. */
    private static double cpuMs() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e6;
    }

    static void run(Args args) throws Exception {
        Path data = args.path("data");
        int n = args.integer("entries", 20_000);
        int repos = args.integer("repos", 3);
        int rounds = args.integer("rounds", 10);
        try (Bench seed = new Bench(data, false)) {
            for (int r = 0; r < repos; r++) {
                seed.engine.createRepository("commits-" + r, Bench.namespace("commits-" + r), "main");
                for (int i = 0; i < n; i++) {
                    seed.engine.stageObject("commits-" + r, "main", entry(path(i), i));
                }
            }
        }
        List<Double> commitN = new ArrayList<>();
        List<Double> commit10 = new ArrayList<>();
        List<Double> merge10 = new ArrayList<>();
        double[] cpu = new double[3];
        try (Bench b = new Bench(data, true)) {
            Engine e = b.engine;
            double cpu0 = cpuMs();
            for (int r = 0; r < repos; r++) {
                long t0 = System.nanoTime();
                e.commit("commits-" + r, "main", Harness.commitRequest("N staged"));
                commitN.add(ms(t0));
            }
            cpu[0] = cpuMs() - cpu0;
            String repo = "commits-" + (repos - 1);
            long serial = 1L << 40;
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < 10; i++) {
                    e.stageObject(repo, "main", entry(path((int) ((r * 10L + i) * 7 % n)), serial++));
                }
                long t0 = System.nanoTime();
                double c0 = cpuMs();
                e.commit(repo, "main", Harness.commitRequest("10 changes"));
                commit10.add(ms(t0));
                cpu[1] += cpuMs() - c0;
            }
            for (int r = 0; r < rounds; r++) {
                String src = "src" + r;
                String dst = "dst" + r;
                e.createBranch(repo, src, "main");
                e.createBranch(repo, dst, "main");
                for (int i = 0; i < 10; i++) {
                    e.stageObject(repo, src, entry(path((int) ((100 + r * 20L + i) * 31 % n)), serial++));
                    e.stageObject(repo, dst, entry(path((int) ((100 + r * 20L + 10 + i) * 31 % n)), serial++));
                }
                e.commit(repo, src, Harness.commitRequest("10 changes on " + src));
                e.commit(repo, dst, Harness.commitRequest("10 changes on " + dst));
                long t0 = System.nanoTime();
                double c0 = cpuMs();
                e.merge(repo, src, dst, new MergeRequest("merge", "bench", Map.of(), MergeStrategy.NONE, false, false));
                merge10.add(ms(t0));
                cpu[2] += cpuMs() - c0;
            }
        }
        new Out().put("entries", n).put("commit_n_ms", commitN).put("commit_10_ms", commit10)
                .put("merge_10_ms", merge10).put("cpu_ms", List.of(cpu[0] / repos, cpu[1] / rounds, cpu[2] / rounds))
                .print();
    }
}
