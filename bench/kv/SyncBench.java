import io.tarn.kv.KvStore;
import io.tarn.kv.rocksdb.RocksDbKvStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Does RocksDB share one write-ahead-log sync among concurrent synced writers (group commit)?
 * Runs T threads of {@code put} on the RocksDB store with {@code sync_writes} on and off for a fixed
 * time and prints writes/s and the mean latency. Without group commit, writes/s at sync on would stay
 * at one write per sync whatever T; with it, they grow with T while the latency stays about one sync.
 * Count the syncs themselves with {@code strace -f -c -e trace=fsync,fdatasync bench/kv/run-sync}.
 *
 * <p>Usage: bench/kv/run-sync [SECONDS [THREADS [on|off]]]
 */
public final class SyncBench {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        System.out.printf("# RocksDbKvStore put of 100-byte values, %.0f s per row; %d cores%n%n", seconds,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| sync_writes | threads | writes/s | mean latency µs |");
        System.out.println("|---|---:|---:|---:|");
        int[] threadCounts = args.length > 1 ? new int[] {Integer.parseInt(args[1])} : new int[] {1, 4, 16, 32};
        boolean[] syncs = args.length > 2 ? new boolean[] {args[2].equals("on")} : new boolean[] {true, false};
        for (boolean sync : syncs) {
            for (int threads : threadCounts) {
                Path dir = Files.createTempDirectory("syncbench");
                try (KvStore store = RocksDbKvStore.open(dir.resolve("db"), sync)) {
                    run(store, threads, seconds, sync);
                } finally {
                    try (Stream<Path> all = Files.walk(dir)) {
                        for (Path p : all.sorted((a, b) -> b.compareTo(a)).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            }
        }
    }

    private static void run(KvStore store, int threads, double seconds, boolean sync) throws Exception {
        byte[] value = new byte[100];
        AtomicLong writes = new AtomicLong();
        AtomicLong nanos = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            all.add(Thread.ofPlatform().start(() -> {
                long n = 0;
                long spent = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    store.put(("t" + id + "/" + n).getBytes(StandardCharsets.UTF_8), value);
                    spent += System.nanoTime() - t0;
                    n++;
                }
                writes.addAndGet(n);
                nanos.addAndGet(spent);
                done.countDown();
            }));
        }
        done.await();
        long w = writes.get();
        System.out.printf("| %s | %d | %,.0f | %,.0f |%n", sync, threads, w / seconds, nanos.get() / 1e3 / Math.max(1, w));
    }
}
