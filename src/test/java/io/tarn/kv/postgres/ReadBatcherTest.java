package io.tarn.kv.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.kv.KvException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@link ReadBatcher} over an in-memory table whose statements the test holds and releases, so that
 * the orders that matter (a write acknowledged while a statement is in flight, a failure in the middle
 * of a queue) happen every time. {@code PostgresReadBatchingTest} runs the batcher on the real
 * database.
 */
class ReadBatcherTest {

    /**
     * A table of byte keys: each statement copies the rows it asks for when it starts (its snapshot),
     * then, when the test holds statements, waits until the test lets it finish.
     */
    private static final class Table implements ReadBatcher.Fetch {
        final Map<ByteBuffer, byte[]> data = new ConcurrentHashMap<>();
        final List<List<String>> statements = new CopyOnWriteArrayList<>();
        final Semaphore started = new Semaphore(0);
        final Semaphore finish = new Semaphore(0);
        volatile boolean hold;
        volatile RuntimeException failNext;

        @Override
        public Map<ByteBuffer, byte[]> rows(List<byte[]> keys) {
            Map<ByteBuffer, byte[]> snapshot = new HashMap<>();
            List<String> asked = new ArrayList<>();
            for (byte[] key : keys) {
                asked.add(s(key));
                byte[] v = data.get(ByteBuffer.wrap(key));
                if (v != null) {
                    snapshot.put(ByteBuffer.wrap(key), v.clone());
                }
            }
            statements.add(asked);
            started.release();
            if (hold) {
                finish.acquireUninterruptibly();
            }
            RuntimeException failure = failNext;
            if (failure != null) {
                failNext = null;
                throw failure;
            }
            return snapshot;
        }

        void put(String key, String value) {
            data.put(ByteBuffer.wrap(b(key)), b(value));
        }
    }

    private final Table table = new Table();
    private final ReadBatcher batcher = new ReadBatcher(table, 1);

    private Future<List<Optional<byte[]>>> readOnVirtualThread(String... keys) {
        List<byte[]> k = new ArrayList<>();
        for (String key : keys) {
            k.add(b(key));
        }
        FutureTask<List<Optional<byte[]>>> task = new FutureTask<>(() -> batcher.read(k));
        Thread.ofVirtual().start(task);
        return task;
    }

    @Test
    void aLoneReadIsSentAtOnceAndAlone() {
        table.put("a", "1");
        for (int i = 0; i < 10; i++) {
            assertThat(batcher.read(List.of(b("a"), b("b")))).extracting(ReadBatcherTest::str)
                    .containsExactly("1", null);
        }
        assertThat(batcher.statements()).isEqualTo(10);
        assertThat(batcher.reads()).isEqualTo(10);
    }

    @Test
    void aReadQueuedAfterAWriteWasAcknowledgedIsServedByALaterStatement() throws Exception {
        table.put("k", "old");
        table.hold = true;
        var before = readOnVirtualThread("k");
        table.started.acquire(); // its statement is in flight and has read its snapshot
        table.put("k", "new"); // a write, acknowledged
        var after = readOnVirtualThread("k");
        await(() -> batcher.queued() == 1);
        table.finish.release(2);
        assertThat(str(before.get().get(0))).isEqualTo("old");
        assertThat(str(after.get().get(0))).as("a read that began after the write's acknowledgement").isEqualTo("new");
        assertThat(table.statements).containsExactly(List.of("k"), List.of("k"));
    }

    @Test
    void queuedReadsGoTogetherAndEachGetsItsOwnValues() throws Exception {
        for (int i = 0; i < 10; i++) {
            table.put("k" + i, "v" + i);
        }
        table.put("shared", "s");
        table.hold = true;
        var first = readOnVirtualThread("k0");
        table.started.acquire();
        List<Future<List<Optional<byte[]>>>> queued = new ArrayList<>();
        for (int i = 1; i < 10; i++) {
            queued.add(readOnVirtualThread("k" + i, "shared", "missing" + i));
            int n = i;
            await(() -> batcher.queued() == n); // in this order
        }
        table.finish.release(2);
        assertThat(str(first.get().get(0))).isEqualTo("v0");
        for (int i = 1; i < 10; i++) {
            assertThat(queued.get(i - 1).get()).extracting(ReadBatcherTest::str).containsExactly("v" + i, "s", null);
        }
        assertThat(table.statements).hasSize(2);
        List<String> second = table.statements.get(1);
        assertThat(second).doesNotHaveDuplicates().hasSize(1 + 9 * 2).contains("shared", "k1", "missing9");
        // a value read for several callers is theirs each: changing one's does not change another's
        assertThat(queued.get(0).get().get(1).orElseThrow()).isNotSameAs(queued.get(1).get().get(1).orElseThrow());
    }

    @Test
    void aStatementAsksForAtMost64DistinctKeysAndALongerReadGoesAlone() throws Exception {
        table.hold = true;
        var first = readOnVirtualThread("x");
        table.started.acquire();
        List<Future<List<Optional<byte[]>>>> queued = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            queued.add(readOnVirtualThread("shared", "a" + i, "b" + i));
            int n = i + 1;
            await(() -> batcher.queued() == n);
        }
        String[] many = new String[100];
        for (int i = 0; i < many.length; i++) {
            many[i] = "m" + i;
        }
        queued.add(readOnVirtualThread(many));
        queued.add(readOnVirtualThread("last"));
        await(() -> batcher.queued() == 42);
        table.finish.release(10);
        first.get();
        for (var f : queued) {
            f.get();
        }
        // 1 + 31 * 2 = 63 keys, then 1 + 9 * 2, then the 100 keys alone, then the last read
        assertThat(table.statements).extracting(List::size).containsExactly(1, 63, 19, 100, 1);
    }

    @Test
    void aFailedStatementFailsTheReadsOfItsBatchOnly() throws Exception {
        table.put("a", "1");
        table.put("e", "5");
        table.hold = true;
        var a = readOnVirtualThread("a");
        table.started.acquire();
        var b = readOnVirtualThread("b");
        var c = readOnVirtualThread("c", "a");
        var d = readOnVirtualThread("d");
        await(() -> batcher.queued() == 3);
        table.finish.release(); // a's statement ends; b, c, d go as the next one
        assertThat(str(a.get().get(0))).isEqualTo("1");
        table.started.acquire();
        var e = readOnVirtualThread("e");
        var f = readOnVirtualThread("f");
        await(() -> batcher.queued() == 2);
        KvException boom = new KvException("the statement failed");
        table.failNext = boom;
        table.finish.release(2);
        for (var failed : List.of(b, c, d)) {
            assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class).cause().isSameAs(boom);
        }
        assertThat(str(e.get().get(0))).isEqualTo("5");
        assertThat(f.get().get(0)).isEmpty();
        assertThat(table.statements).containsExactly(List.of("a"), List.of("b", "c", "a", "d"), List.of("e", "f"));
        // and the batcher goes on serving reads alone
        table.hold = false;
        assertThat(str(batcher.read(List.of(b("a"))).get(0))).isEqualTo("1");
    }

    @Test
    void waitingReadsParkTheirVirtualThreads() throws Exception {
        // More waiting readers than the virtual thread scheduler could ever have carriers (256 at
        // most): if a waiting read held its carrier, most of them could never even reach the queue.
        int readers = 1000;
        for (int i = 0; i < readers; i++) {
            table.put("k" + i, "v" + i);
        }
        table.hold = true;
        var first = readOnVirtualThread("first");
        table.started.acquire();
        List<Future<List<Optional<byte[]>>>> queued = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            queued.add(readOnVirtualThread("k" + i));
        }
        await(() -> batcher.queued() == readers);
        table.hold = false;
        table.finish.release();
        assertThat(first.get().get(0)).isEmpty();
        for (int i = 0; i < readers; i++) {
            assertThat(str(queued.get(i).get().get(0))).isEqualTo("v" + i);
        }
        assertThat(batcher.statements()).isEqualTo(1 + (readers + 63) / 64);
        assertThat(batcher.reads()).isEqualTo(1 + readers);
    }

    @Test
    void anInterruptedWaiterStillGetsItsValueAndKeepsTheInterrupt() throws Exception {
        table.put("k", "v");
        table.hold = true;
        var first = readOnVirtualThread("first");
        table.started.acquire();
        CountDownLatch done = new CountDownLatch(1);
        List<Object> seen = new CopyOnWriteArrayList<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            seen.add(str(batcher.read(List.of(b("k"))).get(0)));
            seen.add(Thread.currentThread().isInterrupted());
            done.countDown();
        });
        await(() -> batcher.queued() == 1);
        waiter.interrupt();
        assertThat(done.await(200, TimeUnit.MILLISECONDS)).as("still waiting for its statement").isFalse();
        table.hold = false;
        table.finish.release();
        first.get();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("v", true);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting");
            }
            Thread.sleep(1);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String str(Optional<byte[]> v) {
        return v.map(ReadBatcherTest::s).orElse(null);
    }
}
