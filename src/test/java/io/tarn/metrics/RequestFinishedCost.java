package io.tarn.metrics;

import java.util.Locale;

/**
 * A micro-measurement of {@link TarnMetrics#requestFinished} (prints, asserts nothing):
 * 10 rounds of 1,000,000 calls over 30 operations and 3 statuses, on one thread; the first rounds
 * are the JIT's warm-up.
 *
 * <pre>
 * ./mvnw -q -B -o test-compile
 * java -cp target/classes:target/test-classes:$(./mvnw -q -B -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout) \
 *     io.tarn.metrics.RequestFinishedCost
 * </pre>
 */
public final class RequestFinishedCost {

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String[] operations = new String[30];
        for (int i = 0; i < operations.length; i++) {
            operations[i] = "operation" + i;
        }
        int[] statuses = {200, 201, 404};
        try (TarnMetrics metrics = TarnMetrics.create()) {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long thread = Thread.currentThread().threadId();
            for (int round = 0; round < 10; round++) {
                long allocated = threads.getThreadAllocatedBytes(thread);
                long start = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    metrics.requestFinished("classic", operations[i % 30], statuses[i % 3], 1_000_000 + i, 100, 2000);
                }
                long elapsed = System.nanoTime() - start;
                long bytes = threads.getThreadAllocatedBytes(thread) - allocated;
                System.out.printf(Locale.ROOT, "round %d: %,d requestFinished calls, %.1f ns/call, %.2f bytes allocated/call%n",
                        round, calls, (double) elapsed / calls, (double) bytes / calls);
            }
        }
    }
}
