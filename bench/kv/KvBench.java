import io.tarn.kv.KvBatch;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import io.tarn.kv.KvStores;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Single-thread throughput of the KvStore backends: put, get, compareAndSet, batched put and scan of
 * N keys with 100-byte values. Each backend runs ROUNDS times on a fresh store; prints the median
 * and the min-max spread in operations per second.
 *
 * <p>Usage: bench/kv/run [N] [ROUNDS]
 */
public final class KvBench {

    private static final int VALUE_BYTES = 100;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("# KvStore single-thread throughput: %,d keys, %d-byte values, %d rounds; %s, %d cores%n%n",
                n, VALUE_BYTES, rounds, System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors());
        System.out.println("| backend | operation | median ops/s | min - max ops/s |");
        System.out.println("|---|---|---:|---:|");
        for (String type : List.of("mem", "local")) {
            Map<String, List<Double>> results = new LinkedHashMap<>();
            for (int r = 0; r < rounds; r++) {
                Path dir = Files.createTempDirectory("kvbench");
                try (KvStore store = KvStores.open(type, dir.resolve("db"))) {
                    runOnce(store, n, r, results);
                } finally {
                    deleteTree(dir);
                }
            }
            for (var e : results.entrySet()) {
                double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf("| %s | %s | %,.0f | %,.0f - %,.0f |%n", type, e.getKey(), v[v.length / 2], v[0], v[v.length - 1]);
            }
        }
    }

    private static void runOnce(KvStore store, int n, int round, Map<String, List<Double>> results) {
        SplittableRandom random = new SplittableRandom(round);
        byte[][] keys = new byte[n][];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = String.format("repo/branch/staging/path/to/object-%010d", i).getBytes(StandardCharsets.UTF_8);
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        byte[] value = new byte[VALUE_BYTES];

        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            stamp(value, i, 0);
            store.put(keys[order[i]], value);
        }
        record(results, "put (random order)", n, t0);

        t0 = System.nanoTime();
        long found = 0;
        for (int i = 0; i < n; i++) {
            found += store.get(keys[random.nextInt(n)]).isPresent() ? 1 : 0;
        }
        record(results, "get (random, present)", n, t0);
        check(found == n, "all gets hit");

        t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            found += store.get(("missing/" + i).getBytes(StandardCharsets.UTF_8)).isPresent() ? 1 : 0;
        }
        record(results, "get (absent)", n, t0);

        byte[] expected = new byte[VALUE_BYTES];
        byte[] update = new byte[VALUE_BYTES];
        t0 = System.nanoTime();
        int swapped = 0;
        for (int i = 0; i < n; i++) {
            int k = order[i];
            stamp(expected, i, 0);
            stamp(update, i, 1);
            swapped += store.compareAndSet(keys[k], expected, update) ? 1 : 0;
        }
        record(results, "compareAndSet (succeeds)", n, t0);
        check(swapped == n, "all CAS succeed");

        t0 = System.nanoTime();
        for (int i = 0; i < n; i += 100) {
            KvBatch batch = new KvBatch();
            for (int j = i; j < Math.min(n, i + 100); j++) {
                stamp(value, j, 2);
                batch.put(keys[j], value);
            }
            store.write(batch);
        }
        record(results, "write (batches of 100), per key", n, t0);

        t0 = System.nanoTime();
        long scanned = 0;
        try (KvIterator it = store.scan("repo/branch/".getBytes(StandardCharsets.UTF_8), null)) {
            while (it.hasNext()) {
                it.next();
                scanned++;
            }
        }
        record(results, "scan, per entry", n, t0);
        check(scanned == n, "scan sees every key");
    }

    private static void stamp(byte[] value, int i, int generation) {
        ByteBuffer.wrap(value).putInt(i).putInt(generation);
    }

    private static void record(Map<String, List<Double>> results, String name, int ops, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        results.computeIfAbsent(name, k -> new ArrayList<>()).add(ops / seconds);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark self-check failed: " + what);
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
