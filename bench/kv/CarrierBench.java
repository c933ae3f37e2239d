import io.tarn.kv.KvStore;
import io.tarn.kv.rocksdb.RocksDbKvStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Do synced writes made on virtual threads hold up the other virtual threads? The server's requests
 * are virtual threads, and a server pinned to one core has one carrier to run them all. W writer
 * threads put 100-byte values into a synced RocksDbKvStore in a closed loop while R reader threads
 * each wake every millisecond and read one key; a reader's latency is from the moment it was due to
 * wake until its read returned, so it includes any wait for a carrier. Prints writes/s and the
 * readers' and writers' p50, p99 and max. Writers park for 0.2 ms after each write, as a request
 * leaves its carrier while it waits for its socket. Run it pinned to one core (bench/kv/run-carrier does) to
 * see what the server sees.
 *
 * <p>Usage: bench/kv/run-carrier [JAR] -- [SECONDS [WRITERS [READERS]]]
 */
public final class CarrierBench {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int writers = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int readers = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Path dir = Files.createTempDirectory("carrierbench");
        try (KvStore store = RocksDbKvStore.open(dir.resolve("db"), true)) {
            byte[] value = new byte[100];
            for (int i = 0; i < 1000; i++) {
                store.put(key("seed", i), value);
            }
            run(store, seconds / 4, writers, readers, value); // warm-up
            run(store, seconds, writers, readers, value);
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static byte[] key(String prefix, long n) {
        return (prefix + "/" + n).getBytes(StandardCharsets.UTF_8);
    }

    private static void run(KvStore store, double seconds, int writers, int readers, byte[] value) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long[][] writeTimes = new long[writers][];
        long[][] readTimes = new long[readers][];
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
            int id = t;
            all.add(Thread.ofVirtual().start(() -> {
                long[] times = new long[1 << 12];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    store.put(key("w" + id, t0), value);
                    if (n == times.length) {
                        times = Arrays.copyOf(times, n * 2);
                    }
                    times[n++] = System.nanoTime() - t0;
                    LockSupport.parkNanos(200_000); // a request leaves its carrier between writes (it waits for its socket)
                }
                writeTimes[id] = Arrays.copyOf(times, n);
            }));
        }
        for (int t = 0; t < readers; t++) {
            int id = t;
            all.add(Thread.ofVirtual().start(() -> {
                long[] times = new long[1 << 12];
                int n = 0;
                long due = System.nanoTime() + 1_000_000;
                while (due < end) {
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    store.get(key("seed", ThreadLocalRandom.current().nextInt(1000)));
                    long now = System.nanoTime();
                    if (n == times.length) {
                        times = Arrays.copyOf(times, n * 2);
                    }
                    times[n++] = now - due;
                    due = Math.max(due + 1_000_000, now);
                }
                readTimes[id] = Arrays.copyOf(times, n);
            }));
        }
        for (Thread t : all) {
            t.join();
        }
        long[] w = concat(writeTimes);
        long[] r = concat(readTimes);
        System.out.printf("%.1f s, %d writers, %d readers, %d cores: %,.0f synced writes/s; write p50 %.2f p99 %.2f max %.2f ms;"
                        + " read (from due) p50 %.3f p99 %.2f max %.2f ms (%d reads)%n",
                seconds, writers, readers, Runtime.getRuntime().availableProcessors(), w.length / seconds,
                pct(w, 0.5), pct(w, 0.99), pct(w, 1), pct(r, 0.5), pct(r, 0.99), pct(r, 1), r.length);
    }

    private static long[] concat(long[][] parts) {
        return Arrays.stream(parts).flatMapToLong(Arrays::stream).sorted().toArray();
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }
}
