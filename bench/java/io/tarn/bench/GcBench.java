package io.tarn.bench;

import io.tarn.engine.model.GcRules;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.gc.GarbageCollector;
import io.tarn.gc.GcOptions;
import io.tarn.gc.GcReport;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The gc scenario: a repository of N data objects written over C commits spread on B branches, where
 * PCT% of the objects were overwritten by a later commit (so with 0-day retention only the heads keep
 * data and those versions are unreachable); then one collection (grace 0). Seeding writes the data
 * objects straight to the block store at engine-made addresses and stages them (not measured). Prints
 * mark and sweep times, objects/s, the spilled runs, the JVM's peak heap and peak RSS during the run.
 */
final class GcBench {
    private GcBench() {}

    static void run(Args args) throws Exception {
        long objects = Long.parseLong(args.get("objects"));
        int commits = Integer.parseInt(args.get("commits", "100"));
        int branches = Integer.parseInt(args.get("branches", "10"));
        int garbagePct = Integer.parseInt(args.get("garbage", "20"));
        int chunk = Integer.parseInt(args.get("chunk", "200000"));
        String repo = "bench-gc";
        long[] seeded;
        double[] seed = new double[1];
        try (Bench b = new Bench(args.path("data"), false)) {
            b.engine.createRepository(repo, Bench.namespace(repo), "main");
            for (int i = 1; i < branches; i++) {
                b.engine.createBranch(repo, "b" + i, "main");
            }
            var ns = b.blocks.namespace(Bench.namespace(repo));
            SplittableRandom rnd = new SplittableRandom(42);
            long t0 = System.nanoTime();
            long perCommit = Math.max(1, objects / commits);
            long written = 0;
            long overwritten = 0;
            long[] pathsPerBranch = new long[branches];
            byte[] body = new byte[64];
            for (int c = 0; c < commits; c++) {
                int branch = c % branches;
                String name = branch == 0 ? "main" : "b" + branch;
                for (long k = 0; k < perCommit && written < objects; k++) {
                    long path;
                    // overwrite an object of an earlier commit of this branch (its old version becomes garbage)
                    // (the first round of commits only adds, so the later ones overwrite a little more often)
                    if (pathsPerBranch[branch] > 0 && c >= branches
                            && rnd.nextInt(100 * (commits - branches)) < garbagePct * commits) {
                        path = rnd.nextLong(pathsPerBranch[branch]);
                        overwritten++;
                    } else {
                        path = pathsPerBranch[branch]++;
                    }
                    String address = String.format("data/%017x/%032x", 0xFFFFFFFFL - c, written);
                    rnd.nextBytes(body);
                    b.blocks.put(ns, address, new ByteArrayInputStream(body), body.length);
                    b.engine.stageObject(repo, name, new ObjectEntry(String.format("t%d/p%03d/part-%09d.parquet", branch,
                            path % 1000, path), address, body.length, "0123456789abcdef0123456789abcdef",
                            Harness.MTIME, Harness.CONTENT_TYPE, Map.of()));
                    written++;
                }
                b.engine.commit(repo, name, Harness.commitRequest("gc bench " + c));
            }
            double seedSeconds = (System.nanoTime() - t0) / 1e9;
            b.engine.setGcRules(repo, new GcRules(0, List.of()));
            seeded = new long[] {written, overwritten};
            seed[0] = seedSeconds;
        }
        // the collection runs on a freshly opened engine with empty caches, as `tarn gc run` does
        deleteTree(args.path("data").resolve("cache"));
        long written = seeded[0];
        long overwritten = seeded[1];
        double seedSeconds = seed[0];
        try (Bench b = new Bench(args.path("data"), false)) {
            Thread.sleep(1_100); // every commit older than 0 days, every object older than a grace of 0
            // baseline: a bare walk of the same folder, counting files (what listing costs at the least)
            Path nsDir = args.path("data").resolve("blocks").resolve(repo);
            long w0 = System.nanoTime();
            long files;
            try (var walk = Files.walk(nsDir)) {
                files = walk.filter(Files::isRegularFile).count();
            }
            double walkSeconds = (System.nanoTime() - w0) / 1e9;
            System.gc();
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            resetPeakRss();
            long heapBefore = heapUsed(heap, false);
            GarbageCollector gc = new GarbageCollector(b.engine.gcAccess(), args.path("data").resolve("gc-work"));
            GcReport r = gc.run(repo, GcOptions.defaults().withGrace(Duration.ZERO).withSpillChunk(chunk));
            long heapPeak = heapUsed(heap, true);
            long rssPeak = Out.procStatusBytes("VmHWM");
            if (r.sweep().objects() != overwritten) {
                throw new IllegalStateException("gc deleted " + r.sweep().objects() + " objects, the seed overwrote "
                        + overwritten);
            }
            double markS = r.mark().millis() / 1e3;
            double sweepS = r.sweep().millis() / 1e3;
            new Out()
                    .put("objects", written)
                    .put("unreachable", overwritten)
                    .put("commits", commits)
                    .put("branches", branches)
                    .put("seed_seconds", seedSeconds)
                    .put("mark_seconds", markS)
                    .put("sweep_seconds", sweepS)
                    .put("ranges_read", r.mark().rangesRead())
                    .put("trees_read", r.mark().treesRead())
                    .put("keys_marked", r.mark().keysMarked())
                    .put("spill_runs", r.mark().spillRuns())
                    .put("listed", r.sweep().listed())
                    .put("deleted", r.sweep().deleted())
                    .put("mark_objects_per_second", r.mark().keysMarked() / Math.max(markS, 1e-9))
                    .put("sweep_objects_per_second", r.sweep().listed() / Math.max(sweepS, 1e-9))
                    .put("heap_before_bytes", heapBefore)
                    .put("heap_peak_bytes", heapPeak)
                    .put("peak_rss_bytes", rssPeak)
                    .put("heap_max_bytes", Runtime.getRuntime().maxMemory())
                    .put("walk_files", files)
                    .put("walk_seconds", walkSeconds)
                    .print();
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static long heapUsed(List<MemoryPoolMXBean> pools, boolean peak) {
        long n = 0;
        for (MemoryPoolMXBean p : pools) {
            n += peak ? p.getPeakUsage().getUsed() : p.getUsage().getUsed();
        }
        return n;
    }

    /** Resets the kernel's high-water mark of this process's RSS (VmHWM), where allowed. */
    private static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (Exception ignored) {
            // the peak then covers the seeding too
        }
    }
}
