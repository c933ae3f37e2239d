import io.tarn.block.PutResult;
import io.tarn.block.StorageNamespace;
import io.tarn.block.local.LocalBlockStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Throughput of LocalBlockStore put and get of one large object, with dd and md5sum on the same
 * folder as baselines. Prints a markdown table of MB/s (10^6 bytes per second): median and range.
 */
public class BlockBench {
    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Path.of(args.length > 2 ? args[2] : "target/blockbench").toAbsolutePath();
        long size = mib << 20;
        Files.createDirectories(dir);
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);

        List<String> names = List.of(
                "dd write (bs=1M, conv=fsync)", "dd read (bs=1M)", "md5sum (read + MD5)",
                "put, known length (MD5, fsync)", "put, unknown length (MD5, fsync)",
                "put, known length (MD5, no fsync)", "get (whole object)");
        double[][] mbps = new double[names.size()][rounds];
        Path ddFile = dir.resolve("dd.bin");
        try (LocalBlockStore synced = new LocalBlockStore(dir.resolve("store"), true);
             LocalBlockStore unsynced = new LocalBlockStore(dir.resolve("store"), false)) {
            StorageNamespace ns = synced.namespace("local://bench");
            for (int r = 0; r < rounds; r++) {
                mbps[0][r] = timed(size, () -> sh("dd", "if=/dev/zero", "of=" + ddFile, "bs=1M",
                        "count=" + mib, "conv=fsync", "status=none"));
                mbps[1][r] = timed(size, () -> sh("dd", "if=" + ddFile, "of=/dev/null", "bs=1M", "status=none"));
                mbps[2][r] = timed(size, () -> sh("md5sum", ddFile.toString()));
                Files.delete(ddFile);
                // every put creates a new file, as the engine's puts (fresh addresses) do
                mbps[3][r] = timed(size, () -> check(synced.put(ns, "obj", source(block, size), size), size));
                synced.delete(ns, "obj");
                mbps[4][r] = timed(size, () -> check(synced.put(ns, "obj", source(block, size), -1), size));
                synced.delete(ns, "obj");
                mbps[5][r] = timed(size, () -> check(unsynced.put(ns, "obj", source(block, size), size), size));
                mbps[6][r] = timed(size, () -> {
                    try (InputStream in = synced.get(ns, "obj", null)) {
                        byte[] buf = new byte[1 << 20];
                        long n = 0;
                        int k;
                        while ((k = in.read(buf)) >= 0) {
                            n += k;
                        }
                        if (n != size) {
                            throw new IllegalStateException("read " + n + " of " + size);
                        }
                    }
                });
                synced.delete(ns, "obj");
            }
        }
        // small objects: fresh keys in one folder per round and mode, with and without fsync, from one
        // thread and from 16 virtual threads at once (as concurrent uploads to one partition)
        int smallCount = 2000;
        int writers = 16;
        byte[] small = Arrays.copyOf(block, 4096);
        double[][] smallOps = new double[4][rounds];
        try (LocalBlockStore synced = new LocalBlockStore(dir.resolve("store"), true);
             LocalBlockStore unsynced = new LocalBlockStore(dir.resolve("store"), false)) {
            StorageNamespace ns = synced.namespace("local://small");
            for (int r = 0; r < rounds; r++) {
                for (int mode = 0; mode < 4; mode++) {
                    LocalBlockStore s = mode % 2 == 0 ? synced : unsynced;
                    int threads = mode < 2 ? 1 : writers;
                    String folder = "d/" + r + "/" + mode + "/";
                    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
                    long start = System.nanoTime();
                    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                        var done = new ArrayList<java.util.concurrent.Future<?>>();
                        for (int t = 0; t < threads; t++) {
                            done.add(pool.submit(() -> {
                                for (int i; (i = next.getAndIncrement()) < smallCount; ) {
                                    s.put(ns, folder + i, new java.io.ByteArrayInputStream(small), small.length);
                                }
                                return null;
                            }));
                        }
                        for (var f : done) {
                            f.get();
                        }
                    }
                    smallOps[mode][r] = smallCount / ((System.nanoTime() - start) / 1e9);
                }
            }
        }
        System.out.printf("%d MiB object, %d rounds, folder %s, %d cores, JDK %s%n%n", mib, rounds, dir,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.println("| operation | median MB/s | min - max MB/s |");
        System.out.println("|---|---:|---:|");
        for (int i = 0; i < names.size(); i++) {
            double[] v = mbps[i].clone();
            Arrays.sort(v);
            System.out.printf("| %s | %.0f | %.0f - %.0f |%n", names.get(i), v[v.length / 2], v[0], v[v.length - 1]);
        }
        System.out.println();
        System.out.println("| 4 KiB puts into one folder | median puts/s | min - max puts/s |");
        System.out.println("|---|---:|---:|");
        for (int mode = 0; mode < 4; mode++) {
            double[] v = smallOps[mode].clone();
            Arrays.sort(v);
            System.out.printf("| %s, %s | %.0f | %.0f - %.0f |%n", mode < 2 ? "one thread" : writers + " threads",
                    mode % 2 == 0 ? "with fsync" : "without fsync", v[v.length / 2], v[0], v[v.length - 1]);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    interface Task {
        void run() throws Exception;
    }

    static double timed(long bytes, Task t) throws Exception {
        long start = System.nanoTime();
        t.run();
        return bytes / ((System.nanoTime() - start) / 1e9) / 1e6;
    }

    static void check(PutResult r, long size) {
        if (r.size() != size || r.etag().length() != 32) {
            throw new IllegalStateException("unexpected put result " + r);
        }
    }

    static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + new String(out));
        }
    }

    /** {@code size} bytes made of one random 1 MiB block repeated: cheap to produce, not compressible. */
    static InputStream source(byte[] block, long size) {
        return new InputStream() {
            long pos;

            @Override
            public int read() {
                return pos < size ? block[(int) (pos++ % block.length)] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= size) {
                    return -1;
                }
                int at = (int) (pos % block.length);
                int n = (int) Math.min(Math.min(len, block.length - at), size - pos);
                System.arraycopy(block, at, b, off, n);
                pos += n;
                return n;
            }
        };
    }
}
