package io.tarn.api.current;

import com.sun.management.ThreadMXBean;
import io.tarn.api.classic.wire.Wire;
import io.tarn.api.http.Json;
import io.tarn.api.http.JsonBuffer;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.eclipse.jetty.io.ArrayByteBufferPool;

/**
 * The JSON of one listObjects page of 100 entries (the page of {@code bench/cpu-per-request}'s list
 * operation), in-process and warm, in each way the server has written it: the classic page through
 * the mapper ({@code /api/v0}), the current page through the mapper with {@code ObjectStatsWriter}
 * (what {@code /api/v1} did before), and the current page written by {@link CurrentWire#objectPage}
 * into fresh arrays and into a buffer pool's (what {@code /api/v1} does). Prints, per way, the thread
 * CPU time per page (median and minimum over the rounds, the ways taking turns) and the bytes
 * allocated per page.
 *
 * <p>Usage: {@code java -cp tarn.jar:classes io.tarn.api.current.ListPageBench [PAGES_PER_ROUND] [LABEL]}.
 */
public final class ListPageBench {
    private ListPageBench() {}

    private record Way(String name, ToIntFunction<Page<ListItem>> write) {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        String label = args.length > 1 ? args[1] : "tarn";
        Repository repository = new Repository("bench-r", "local://bench-r", "main", 0);
        Random random = new Random(1);
        List<ListItem> items = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            // what an upload of the bench stores: a key of the namespace, an MD5, no content type
            String key = String.format("data/e5dcc72df3e8e2854/%016x%016x", random.nextLong(), random.nextLong());
            items.add(new ObjectEntry(String.format("l/o%03d.bin", i), key, 4096, "3bb71494f370f91675d08dd0a66ff5e3",
                    1_796_161_216_000L + i, null, Map.of()));
        }
        Page<ListItem> page = new Page<>(items, false, null);
        ArrayByteBufferPool pool = new ArrayByteBufferPool();
        IntFunction<JsonBuffer> pooled = capacity -> JsonBuffer.pooled(capacity, pool);
        List<Way> ways = List.of(
                new Way("classic page, mapper", p -> bytes(Wire.page(p, Wire::listItem))),
                new Way("current page, mapper + ObjectStatsWriter",
                        p -> bytes(CurrentWire.page(p, (ListItem item) -> CurrentWire.listItem(repository, item, true)))),
                new Way("current page, objectPage, fresh arrays",
                        p -> CurrentWire.objectPage(repository, p, true, null, JsonBuffer::new).length()),
                new Way("current page, objectPage, pooled arrays", p -> {
                    JsonBuffer out = CurrentWire.objectPage(repository, p, true, null, pooled);
                    int length = out.length();
                    out.release();
                    return length;
                }));
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        int rounds = 30;
        int warmup = 10;
        double[][] us = new double[ways.size()][rounds];
        long[] allocated = new long[ways.size()];
        int[] length = new int[ways.size()];
        for (int round = 0; round < warmup + rounds; round++) {
            for (int k = 0; k < ways.size(); k++) {
                int w = round % 2 == 0 ? k : ways.size() - 1 - k;
                Way way = ways.get(w);
                long b0 = mx.getCurrentThreadAllocatedBytes();
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    length[w] = way.write().applyAsInt(page);
                }
                long t1 = mx.getCurrentThreadCpuTime();
                long b1 = mx.getCurrentThreadAllocatedBytes();
                if (round >= warmup) {
                    us[w][round - warmup] = (t1 - t0) / 1e3 / n;
                    allocated[w] = (b1 - b0) / n;
                }
            }
        }
        for (int w = 0; w < ways.size(); w++) {
            double[] sorted = us[w].clone();
            java.util.Arrays.sort(sorted);
            System.out.printf("%s %s: %.1f us/page median (min %.1f), %,d bytes allocated/page, %,d bytes%n", label,
                    ways.get(w).name(), sorted[sorted.length / 2], sorted[0], allocated[w], length[w]);
        }
    }

    private static int bytes(Object page) {
        try {
            return Json.mapper().writeValueAsBytes(page).length;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
